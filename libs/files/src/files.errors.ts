import { DomainError, ErrorKind } from '@app/platform';

export enum FileErrorCode {
  NotFound = 'FILE_NOT_FOUND',
  TooLarge = 'FILE_TOO_LARGE',
  MissingFile = 'FILE_MISSING',
  RangeNotSatisfiable = 'FILE_RANGE_NOT_SATISFIABLE',
}

export class FileError extends DomainError {
  declare readonly code: FileErrorCode;

  constructor(code: FileErrorCode, message: string) {
    super(code, fileErrorKind(code), message);
  }
}

function fileErrorKind(code: FileErrorCode): ErrorKind {
  switch (code) {
    case FileErrorCode.NotFound:
      return ErrorKind.NotFound;
    case FileErrorCode.TooLarge:
      return ErrorKind.PayloadTooLarge;
    case FileErrorCode.MissingFile:
      return ErrorKind.InvalidInput;
    case FileErrorCode.RangeNotSatisfiable:
      return ErrorKind.RangeNotSatisfiable;
  }
}
