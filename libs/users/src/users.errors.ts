import { defineErrors, ErrorCodeOf, ErrorKind } from '@app/platform';

export class UserError extends defineErrors('UserError', {
  NotFound: ['USER_NOT_FOUND', ErrorKind.NotFound],
  EmailTaken: ['USER_EMAIL_TAKEN', ErrorKind.Conflict],
  CannotModifySelf: ['USER_CANNOT_MODIFY_SELF', ErrorKind.Unprocessable],
}) {}

export const UserErrorCode = UserError.codes;
export type UserErrorCode = ErrorCodeOf<typeof UserErrorCode>;
