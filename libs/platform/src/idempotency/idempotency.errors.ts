import { DomainError, ErrorKind } from '../errors/domain-error';

export enum IdempotencyErrorCode {
  KeyRequired = 'IDEMPOTENCY_KEY_REQUIRED',
  KeyInvalid = 'IDEMPOTENCY_KEY_INVALID',
  KeyReused = 'IDEMPOTENCY_KEY_REUSED',
  InProgress = 'IDEMPOTENCY_IN_PROGRESS',
}

export class IdempotencyError extends DomainError {
  declare readonly code: IdempotencyErrorCode;

  constructor(code: IdempotencyErrorCode, message: string) {
    super(code, idempotencyErrorKind(code), message);
  }
}

function idempotencyErrorKind(code: IdempotencyErrorCode): ErrorKind {
  switch (code) {
    case IdempotencyErrorCode.KeyRequired:
    case IdempotencyErrorCode.KeyInvalid:
      return ErrorKind.InvalidInput;
    case IdempotencyErrorCode.KeyReused:
      return ErrorKind.Unprocessable;
    case IdempotencyErrorCode.InProgress:
      return ErrorKind.Conflict;
  }
}
