import { AuthenticatedUser, CurrentUser, Idempotent, ProblemDetailsDto } from '@app/platform';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { BillingService } from './billing.service';
import { CancelSubscriptionDto, ChangePlanDto, IdParams, ProrationPreviewQueryDto, SubscribeDto } from './dto/billing.dto';
import { PlanChangeResponse, ProrationPreviewResponse, SubscriptionResponse } from './dto/billing.response';

@ApiTags('billing')
@ApiBearerAuth('bearer')
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(private readonly billing: BillingService) {}

  @Post()
  @Idempotent({ required: false })
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Subscribe to a plan; the first period is invoiced at once' })
  @ApiCreatedResponse({ type: SubscriptionResponse })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'SUBSCRIPTION_EXISTS' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'PLAN_NOT_FOUND' })
  subscribe(@CurrentUser() user: AuthenticatedUser, @Body() body: SubscribeDto): Promise<SubscriptionResponse> {
    return this.billing.subscribe(user, body.planId);
  }

  @Get('me')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "The caller's live subscription" })
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  mine(@CurrentUser() user: AuthenticatedUser): Promise<SubscriptionResponse> {
    return this.billing.mine(user);
  }

  @Get(':id/proration-preview')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'The invoice lines a plan change would create; nothing is written' })
  @ApiOkResponse({ type: ProrationPreviewResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: '`at` outside the period, or another currency' })
  preview(@CurrentUser() user: AuthenticatedUser, @Param() params: IdParams, @Query() query: ProrationPreviewQueryDto): Promise<ProrationPreviewResponse> {
    return this.billing.previewChange(user, params.id, query.planId, query.at) as unknown as Promise<ProrationPreviewResponse>;
  }

  @Post(':id/change-plan')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Change plan with exact proration (owner or admin)' })
  @ApiOkResponse({ type: PlanChangeResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto })
  changePlan(@CurrentUser() user: AuthenticatedUser, @Param() params: IdParams, @Body() body: ChangePlanDto): Promise<PlanChangeResponse> {
    return this.billing.changePlan(user, params.id, body.planId, body.at);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel at once, or at the end of the current period' })
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'SUBSCRIPTION_NOT_ACTIVE' })
  cancel(@CurrentUser() user: AuthenticatedUser, @Param() params: IdParams, @Body() body: CancelSubscriptionDto): Promise<SubscriptionResponse> {
    return this.billing.cancel(user, params.id, body.atPeriodEnd);
  }
}
