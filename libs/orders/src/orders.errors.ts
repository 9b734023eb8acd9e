import { defineErrors, ErrorCodeOf, ErrorKind } from '@app/platform';

/** Not enough stock is the inventory feature's INVENTORY_INSUFFICIENT, raised as its InventoryError. */
export class OrderError extends defineErrors('OrderError', {
  NotFound: ['ORDER_NOT_FOUND', ErrorKind.NotFound],
  NotCancellable: ['ORDER_NOT_CANCELLABLE', ErrorKind.Conflict],
  ProductUnavailable: ['ORDER_PRODUCT_UNAVAILABLE', ErrorKind.Unprocessable],
  CurrencyMismatch: ['ORDER_CURRENCY_MISMATCH', ErrorKind.Unprocessable],
}) {}

export const OrderErrorCode = OrderError.codes;
export type OrderErrorCode = ErrorCodeOf<typeof OrderErrorCode>;
