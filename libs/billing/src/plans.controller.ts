import { AdminRoute, CachedResponse, ProblemDetailsDto, Public } from '@app/platform';
import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BillingService, PLANS_CACHE_KEY } from './billing.service';
import { CreatePlanDto } from './dto/billing.dto';
import { PlanResponse } from './dto/billing.response';

@ApiTags('billing')
@Controller('plans')
export class PlansController {
  constructor(private readonly billing: BillingService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Plans on offer (cached)' })
  @ApiOkResponse({ type: [PlanResponse] })
  @CachedResponse({ key: () => PLANS_CACHE_KEY, name: 'plans' })
  list(): Promise<PlanResponse[]> {
    return this.billing.listPlans();
  }

  @Post()
  @AdminRoute()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a plan (admin)' })
  @ApiCreatedResponse({ type: PlanResponse })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'PLAN_CODE_TAKEN' })
  create(@Body() body: CreatePlanDto): Promise<PlanResponse> {
    return this.billing.createPlan(body);
  }
}
