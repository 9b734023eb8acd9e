import { defineErrors, ErrorCodeOf, ErrorKind } from '@app/platform';

export class CatalogError extends defineErrors('CatalogError', {
  ProductNotFound: ['PRODUCT_NOT_FOUND', ErrorKind.NotFound],
  SkuTaken: ['PRODUCT_SKU_TAKEN', ErrorKind.Conflict],
  InvalidFields: ['PRODUCT_FIELDS_INVALID', ErrorKind.InvalidInput],
}) {}

export const CatalogErrorCode = CatalogError.codes;
export type CatalogErrorCode = ErrorCodeOf<typeof CatalogErrorCode>;
