import { DomainError, ErrorKind } from '@app/platform';

export enum OrderErrorCode {
  NotFound = 'ORDER_NOT_FOUND',
  NotCancellable = 'ORDER_NOT_CANCELLABLE',
  InventoryInsufficient = 'INVENTORY_INSUFFICIENT',
  ProductUnavailable = 'ORDER_PRODUCT_UNAVAILABLE',
  CurrencyMismatch = 'ORDER_CURRENCY_MISMATCH',
}

export class OrderError extends DomainError {
  declare readonly code: OrderErrorCode;

  constructor(code: OrderErrorCode, message: string) {
    super(code, orderErrorKind(code), message);
  }
}

function orderErrorKind(code: OrderErrorCode): ErrorKind {
  switch (code) {
    case OrderErrorCode.NotFound:
      return ErrorKind.NotFound;
    case OrderErrorCode.NotCancellable:
    case OrderErrorCode.InventoryInsufficient:
      return ErrorKind.Conflict;
    case OrderErrorCode.ProductUnavailable:
    case OrderErrorCode.CurrencyMismatch:
      return ErrorKind.Unprocessable;
  }
}
