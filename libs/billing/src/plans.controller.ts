import { ProblemDetailsDto, Public, Roles, sendCacheable } from '@app/platform';
import { Body, Controller, Get, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BillingService } from './billing.service';
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
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const result = await this.billing.listPlans();
    await sendCacheable(request, reply, result.value, result.hit);
  }

  @Post()
  @Roles('admin')
  @ApiBearerAuth('bearer')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a plan (admin)' })
  @ApiCreatedResponse({ type: PlanResponse })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'PLAN_CODE_TAKEN' })
  create(@Body() body: CreatePlanDto): Promise<PlanResponse> {
    return this.billing.createPlan(body);
  }
}
