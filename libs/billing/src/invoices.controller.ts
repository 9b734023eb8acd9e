import {
  AdminRoute,
  AuthenticatedUser,
  CurrentUser,
  PaginationQueryDto,
  ProblemDetailsDto,
  SignedInRoute,
} from '@app/platform';
import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BillingService } from './billing.service';
import { IdParams } from './dto/billing.dto';
import { InvoicePageResponse, InvoiceResponse, RenewalRunResponse } from './dto/billing.response';
import { RenewalsService } from './renewals.service';

@ApiTags('billing')
@SignedInRoute()
@Controller('invoices')
export class InvoicesController {
  constructor(private readonly billing: BillingService) {}

  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "The caller's invoices (all for an admin), newest first" })
  @ApiOkResponse({ type: InvoicePageResponse })
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: PaginationQueryDto): Promise<InvoicePageResponse> {
    return this.billing.listInvoices(user, query.limit, query.cursor);
  }

  @Get(':id')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'One invoice (owner or admin)' })
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: "INVOICE_NOT_FOUND (also another customer's invoice)" })
  get(@CurrentUser() user: AuthenticatedUser, @Param() params: IdParams): Promise<InvoiceResponse> {
    return this.billing.invoice(user, params.id);
  }
}

@ApiTags('billing')
@AdminRoute()
@Controller('admin/jobs/renewals')
export class RenewalsAdminController {
  constructor(private readonly renewals: RenewalsService) {}

  @Post('run')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Run the renewal job now: the very method the worker's cron runs (admin)" })
  @ApiOkResponse({ type: RenewalRunResponse })
  run(): Promise<RenewalRunResponse> {
    return this.renewals.runRenewals();
  }
}
