import { DomainError, ErrorKind } from '@app/platform';

export enum BillingErrorCode {
  PlanNotFound = 'PLAN_NOT_FOUND',
  PlanCodeTaken = 'PLAN_CODE_TAKEN',
  SubscriptionNotFound = 'SUBSCRIPTION_NOT_FOUND',
  SubscriptionExists = 'SUBSCRIPTION_EXISTS',
  SubscriptionNotActive = 'SUBSCRIPTION_NOT_ACTIVE',
  ChangeOutsidePeriod = 'PRORATION_OUTSIDE_PERIOD',
  AtAdminOnly = 'BILLING_AT_ADMIN_ONLY',
  PlanUnchanged = 'PLAN_UNCHANGED',
  ChangedConcurrently = 'SUBSCRIPTION_CHANGED_CONCURRENTLY',
  CurrencyMismatch = 'PLAN_CURRENCY_MISMATCH',
  InvoiceNotFound = 'INVOICE_NOT_FOUND',
}

export class BillingError extends DomainError {
  declare readonly code: BillingErrorCode;

  constructor(code: BillingErrorCode, message: string) {
    super(code, billingErrorKind(code), message);
  }
}

function billingErrorKind(code: BillingErrorCode): ErrorKind {
  switch (code) {
    case BillingErrorCode.PlanNotFound:
    case BillingErrorCode.SubscriptionNotFound:
    case BillingErrorCode.InvoiceNotFound:
      return ErrorKind.NotFound;
    case BillingErrorCode.PlanCodeTaken:
    case BillingErrorCode.SubscriptionExists:
    case BillingErrorCode.SubscriptionNotActive:
    case BillingErrorCode.ChangedConcurrently:
      return ErrorKind.Conflict;
    case BillingErrorCode.AtAdminOnly:
      return ErrorKind.Forbidden;
    case BillingErrorCode.ChangeOutsidePeriod:
    case BillingErrorCode.PlanUnchanged:
    case BillingErrorCode.CurrencyMismatch:
      return ErrorKind.Unprocessable;
  }
}
