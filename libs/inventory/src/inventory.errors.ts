import { DomainError, ErrorKind } from '@app/platform';

export enum InventoryErrorCode {
  Insufficient = 'INVENTORY_INSUFFICIENT',
  LimitExceeded = 'INVENTORY_LIMIT_EXCEEDED',
  WarehouseNotFound = 'WAREHOUSE_NOT_FOUND',
  WarehouseCodeTaken = 'WAREHOUSE_CODE_TAKEN',
  ProductNotFound = 'PRODUCT_NOT_FOUND',
}

export class InventoryError extends DomainError {
  declare readonly code: InventoryErrorCode;

  constructor(code: InventoryErrorCode, message: string) {
    super(code, inventoryErrorKind(code), message);
  }
}

function inventoryErrorKind(code: InventoryErrorCode): ErrorKind {
  switch (code) {
    case InventoryErrorCode.Insufficient:
    case InventoryErrorCode.WarehouseCodeTaken:
      return ErrorKind.Conflict;
    case InventoryErrorCode.WarehouseNotFound:
    case InventoryErrorCode.ProductNotFound:
      return ErrorKind.NotFound;
    case InventoryErrorCode.LimitExceeded:
      return ErrorKind.Unprocessable;
  }
}
