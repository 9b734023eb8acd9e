import { defineErrors, ErrorCodeOf, ErrorKind } from '@app/platform';

export class ReportError extends defineErrors('ReportError', {
  NotFound: ['REPORT_NOT_FOUND', ErrorKind.NotFound],
  NotReady: ['REPORT_NOT_READY', ErrorKind.Conflict],
  InvalidRange: ['REPORT_INVALID_RANGE', ErrorKind.InvalidInput],
}) {}

export const ReportErrorCode = ReportError.codes;
export type ReportErrorCode = ErrorCodeOf<typeof ReportErrorCode>;
