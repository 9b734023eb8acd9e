import { DomainError, ErrorKind } from '@app/platform';

export enum InventoryErrorCode {
  Insufficient = 'INVENTORY_INSUFFICIENT',
  WarehouseNotFound = 'WAREHOUSE_NOT_FOUND',
  WarehouseCodeTaken = 'WAREHOUSE_CODE_TAKEN',
  ProductNotFound = 'PRODUCT_NOT_FOUND',
}

export class InventoryError extends DomainError {
  readonly kind: ErrorKind;

  constructor(
    readonly code: InventoryErrorCode,
    message: string,
  ) {
    super(message);
    this.kind = inventoryErrorKind(code);
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
  }
}
