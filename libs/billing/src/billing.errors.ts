import { defineErrors, ErrorCodeOf, ErrorKind } from '@app/platform';

export class BillingError extends defineErrors('BillingError', {
  PlanNotFound: ['PLAN_NOT_FOUND', ErrorKind.NotFound],
  PlanCodeTaken: ['PLAN_CODE_TAKEN', ErrorKind.Conflict],
  SubscriptionNotFound: ['SUBSCRIPTION_NOT_FOUND', ErrorKind.NotFound],
  SubscriptionExists: ['SUBSCRIPTION_EXISTS', ErrorKind.Conflict],
  SubscriptionNotActive: ['SUBSCRIPTION_NOT_ACTIVE', ErrorKind.Conflict],
  ChangeOutsidePeriod: ['PRORATION_OUTSIDE_PERIOD', ErrorKind.Unprocessable],
  AtAdminOnly: ['BILLING_AT_ADMIN_ONLY', ErrorKind.Forbidden],
  PlanUnchanged: ['PLAN_UNCHANGED', ErrorKind.Unprocessable],
  ChangedConcurrently: ['SUBSCRIPTION_CHANGED_CONCURRENTLY', ErrorKind.Conflict],
  CurrencyMismatch: ['PLAN_CURRENCY_MISMATCH', ErrorKind.Unprocessable],
  InvoiceNotFound: ['INVOICE_NOT_FOUND', ErrorKind.NotFound],
}) {}

export const BillingErrorCode = BillingError.codes;
export type BillingErrorCode = ErrorCodeOf<typeof BillingErrorCode>;
