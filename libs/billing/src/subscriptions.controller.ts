import {
  AuthenticatedUser,
  CurrentUser,
  Idempotent,
  ProblemDetailsDto,
  SignedInRoute,
  VerifiedEmailRoute,
} from '@app/platform';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { BillingService } from './billing.service';
import {
  CancelSubscriptionDto,
  ChangePlanDto,
  IdParams,
  ProrationPreviewQueryDto,
  SubscribeDto,
} from './dto/billing.dto';
import { PlanChangeResponse, ProrationPreviewResponse, SubscriptionResponse } from './dto/billing.response';

@ApiTags('billing')
@SignedInRoute()
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(private readonly billing: BillingService) {}

  @Post()
  @VerifiedEmailRoute()
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
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'SUBSCRIPTION_NOT_FOUND: no live subscription' })
  mine(@CurrentUser() user: AuthenticatedUser): Promise<SubscriptionResponse> {
    return this.billing.mine(user);
  }

  @Get(':id/proration-preview')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'The invoice lines a plan change would create; nothing is written',
    description:
      'Owner or admin. `at` defaults to now and may lie from the last plan change (or the period start) up to now: the window an admin may back-date a change into.',
  })
  @ApiOkResponse({ type: ProrationPreviewResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'SUBSCRIPTION_NOT_FOUND or PLAN_NOT_FOUND' })
  @ApiUnprocessableEntityResponse({
    type: ProblemDetailsDto,
    description: 'PRORATION_OUTSIDE_PERIOD, PLAN_UNCHANGED, PLAN_CURRENCY_MISMATCH',
  })
  preview(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: IdParams,
    @Query() query: ProrationPreviewQueryDto,
  ): Promise<ProrationPreviewResponse> {
    return this.billing.previewChange(
      user,
      params.id,
      query.planId,
      query.at,
    ) as unknown as Promise<ProrationPreviewResponse>;
  }

  @Post(':id/change-plan')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Change plan with exact proration (owner or admin)',
    description:
      "An owner's change happens now. Only an admin may pass `at`, to back-date a correction: not before the subscription's last change nor after now.",
  })
  @ApiOkResponse({ type: PlanChangeResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'SUBSCRIPTION_NOT_FOUND or PLAN_NOT_FOUND' })
  @ApiForbiddenResponse({ type: ProblemDetailsDto, description: 'BILLING_AT_ADMIN_ONLY: `at` from a customer' })
  @ApiConflictResponse({
    type: ProblemDetailsDto,
    description: 'SUBSCRIPTION_CHANGED_CONCURRENTLY, SUBSCRIPTION_NOT_ACTIVE',
  })
  @ApiUnprocessableEntityResponse({
    type: ProblemDetailsDto,
    description: 'PRORATION_OUTSIDE_PERIOD, PLAN_UNCHANGED, PLAN_CURRENCY_MISMATCH',
  })
  changePlan(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: IdParams,
    @Body() body: ChangePlanDto,
  ): Promise<PlanChangeResponse> {
    return this.billing.changePlan(user, params.id, body.planId, body.at);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel at once, or at the end of the current period' })
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'SUBSCRIPTION_NOT_FOUND' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'SUBSCRIPTION_NOT_ACTIVE' })
  cancel(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: IdParams,
    @Body() body: CancelSubscriptionDto,
  ): Promise<SubscriptionResponse> {
    return this.billing.cancel(user, params.id, body.atPeriodEnd);
  }
}
