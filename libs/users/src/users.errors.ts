import { DomainError, ErrorKind } from '@app/platform';

export enum UserErrorCode {
  NotFound = 'USER_NOT_FOUND',
  EmailTaken = 'USER_EMAIL_TAKEN',
  CannotModifySelf = 'USER_CANNOT_MODIFY_SELF',
}

export class UserError extends DomainError {
  declare readonly code: UserErrorCode;

  constructor(code: UserErrorCode, message: string) {
    super(code, userErrorKind(code), message);
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
