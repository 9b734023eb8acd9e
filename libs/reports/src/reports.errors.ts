import { DomainError, ErrorKind } from '@app/platform';

export enum ReportErrorCode {
  NotFound = 'REPORT_NOT_FOUND',
  NotReady = 'REPORT_NOT_READY',
  InvalidRange = 'REPORT_INVALID_RANGE',
}

export class ReportError extends DomainError {
  declare readonly code: ReportErrorCode;

  constructor(code: ReportErrorCode, message: string) {
    super(code, reportErrorKind(code), message);
  }
}

function reportErrorKind(code: ReportErrorCode): ErrorKind {
  switch (code) {
    case ReportErrorCode.NotFound:
      return ErrorKind.NotFound;
    case ReportErrorCode.NotReady:
      return ErrorKind.Conflict;
    case ReportErrorCode.InvalidRange:
      return ErrorKind.InvalidInput;
  }
}
