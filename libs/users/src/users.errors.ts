import { DomainError, ErrorKind } from '@app/platform';

export enum UserErrorCode {
  NotFound = 'USER_NOT_FOUND',
  EmailTaken = 'USER_EMAIL_TAKEN',
  CannotModifySelf = 'USER_CANNOT_MODIFY_SELF',
}

export class UserError extends DomainError {
  readonly kind: ErrorKind;

  constructor(
    readonly code: UserErrorCode,
    message: string,
  ) {
    super(message);
    this.kind = userErrorKind(code);
  }
}

function userErrorKind(code: UserErrorCode): ErrorKind {
  switch (code) {
    case UserErrorCode.NotFound:
      return ErrorKind.NotFound;
    case UserErrorCode.EmailTaken:
      return ErrorKind.Conflict;
    case UserErrorCode.CannotModifySelf:
      return ErrorKind.Unprocessable;
  }
}
