import { DomainError, DomainErrorDetails, ErrorKind } from './domain-error';

/**
 * A feature's error table: each code's name in code (`NotFound`), the code sent to
 * clients (`'ORDER_NOT_FOUND'`, never to change: see docs/errors.md) and its kind. An
 * entry without a kind does not compile, so every code has a status.
 */
export type ErrorTable = Readonly<Record<string, readonly [code: string, kind: ErrorKind]>>;

/** The codes of a table by name, an enum-like object: `OrderErrorCode.NotFound === 'ORDER_NOT_FOUND'`. */
export type ErrorCodes<T extends ErrorTable> = { readonly [Name in keyof T]: T[Name][0] };

/** The union of a codes object's values: `type OrderErrorCode = ErrorCodeOf<typeof OrderErrorCode>`. */
export type ErrorCodeOf<Codes> = Codes[keyof Codes];

/** The class defineErrors() returns, for a feature's error class to extend. */
export interface DefinedErrorClass<T extends ErrorTable> {
  new (
    code: ErrorCodeOf<ErrorCodes<T>>,
    message: string,
    details?: DomainErrorDetails,
  ): DomainError & {
    readonly code: ErrorCodeOf<ErrorCodes<T>>;
  };
  readonly codes: ErrorCodes<T>;
}

/** Every code defined so far, by the table that defined it: a code belongs to one feature. */
const owners = new Map<string, string>();
/** Every code defined so far with its kind: what the OpenAPI document's error examples are built from. */
const kindsByCode = new Map<string, ErrorKind>();

/** The codes every loaded defineErrors() table defines, with their kinds. */
export function definedErrorKinds(): ReadonlyMap<string, ErrorKind> {
  return kindsByCode;
}

/**
 * Declares a feature's errors from its table, the one place a code meets its kind:
 *
 *     export class OrderError extends defineErrors('OrderError', {
 *       NotFound: ['ORDER_NOT_FOUND', ErrorKind.NotFound],
 *     }) {}
 *     export const OrderErrorCode = OrderError.codes;
 *     export type OrderErrorCode = ErrorCodeOf<typeof OrderErrorCode>;
 *
 *     throw new OrderError(OrderErrorCode.NotFound, 'No such order.');
 *
 * A code must be UPPER_SNAKE and defined by one table only: a feature raises another
 * feature's error with that feature's class, it does not redefine the code. Both are
 * checked when the table is defined, so a clash fails at start, not in production.
 */
export function defineErrors<const T extends ErrorTable>(owner: string, table: T): DefinedErrorClass<T> {
  const kinds = new Map<string, ErrorKind>();
  const codes: Record<string, string> = {};
  for (const [name, [code, kind]] of Object.entries(table)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(code)) {
      throw new Error(`${owner}.${name}: error code "${code}" is not UPPER_SNAKE`);
    }
    const claimedBy = kinds.has(code) ? owner : owners.get(code);
    if (claimedBy !== undefined) {
      throw new Error(
        `${owner}.${name}: error code "${code}" is already defined by ${claimedBy}; raise that error instead`,
      );
    }
    kinds.set(code, kind);
    codes[name] = code;
  }
  for (const [code, kind] of kinds) {
    owners.set(code, owner);
    kindsByCode.set(code, kind);
  }

  class DefinedError extends DomainError {
    static readonly codes = Object.freeze(codes) as ErrorCodes<T>;
    declare readonly code: ErrorCodeOf<ErrorCodes<T>>;

    constructor(code: ErrorCodeOf<ErrorCodes<T>>, message: string, details?: DomainErrorDetails) {
      super(code, kinds.get(code)!, message, details);
    }
  }
  // The feature's class (`class OrderError extends ...`) names its instances; this
  // name shows only if the returned class is thrown itself.
  Object.defineProperty(DefinedError, 'name', { value: owner });
  return DefinedError;
}
