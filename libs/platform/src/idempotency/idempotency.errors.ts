import { defineErrors, ErrorCodeOf } from '../errors/define-errors';
import { ErrorKind } from '../errors/domain-error';

export class IdempotencyError extends defineErrors('IdempotencyError', {
  KeyRequired: ['IDEMPOTENCY_KEY_REQUIRED', ErrorKind.InvalidInput],
  KeyInvalid: ['IDEMPOTENCY_KEY_INVALID', ErrorKind.InvalidInput],
  KeyReused: ['IDEMPOTENCY_KEY_REUSED', ErrorKind.Unprocessable],
  InProgress: ['IDEMPOTENCY_IN_PROGRESS', ErrorKind.Conflict],
}) {}

export const IdempotencyErrorCode = IdempotencyError.codes;
export type IdempotencyErrorCode = ErrorCodeOf<typeof IdempotencyErrorCode>;
