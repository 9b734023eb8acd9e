import { DomainError, ErrorKind } from '@app/platform';

export enum CatalogErrorCode {
  ProductNotFound = 'PRODUCT_NOT_FOUND',
  SkuTaken = 'PRODUCT_SKU_TAKEN',
  InvalidFields = 'PRODUCT_FIELDS_INVALID',
}

export class CatalogError extends DomainError {
  declare readonly code: CatalogErrorCode;

  constructor(code: CatalogErrorCode, message: string) {
    super(code, catalogErrorKind(code), message);
  }
}

function catalogErrorKind(code: CatalogErrorCode): ErrorKind {
  switch (code) {
    case CatalogErrorCode.ProductNotFound:
      return ErrorKind.NotFound;
    case CatalogErrorCode.SkuTaken:
      return ErrorKind.Conflict;
    case CatalogErrorCode.InvalidFields:
      return ErrorKind.InvalidInput;
  }
}
