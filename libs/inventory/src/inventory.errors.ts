import { defineErrors, ErrorCodeOf, ErrorKind } from '@app/platform';

export class InventoryError extends defineErrors('InventoryError', {
  Insufficient: ['INVENTORY_INSUFFICIENT', ErrorKind.Conflict],
  LimitExceeded: ['INVENTORY_LIMIT_EXCEEDED', ErrorKind.Unprocessable],
  WarehouseNotFound: ['WAREHOUSE_NOT_FOUND', ErrorKind.NotFound],
  WarehouseCodeTaken: ['WAREHOUSE_CODE_TAKEN', ErrorKind.Conflict],
}) {}

export const InventoryErrorCode = InventoryError.codes;
export type InventoryErrorCode = ErrorCodeOf<typeof InventoryErrorCode>;
