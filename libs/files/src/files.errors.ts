import { DomainError, ErrorKind } from '@app/platform';

export enum FileErrorCode {
  NotFound = 'FILE_NOT_FOUND',
  TooLarge = 'FILE_TOO_LARGE',
  MissingFile = 'FILE_MISSING',
  MalformedUpload = 'FILE_UPLOAD_MALFORMED',
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
    case FileErrorCode.MalformedUpload:
      return ErrorKind.InvalidInput;
    case FileErrorCode.RangeNotSatisfiable:
      return ErrorKind.RangeNotSatisfiable;
  }
}

/** Over the size limit; the unread rest of the body is not drained: the connection ends after the answer. */
export function fileTooLarge(maxBytes: number): FileError {
  const error = new FileError(FileErrorCode.TooLarge, `Files may be at most ${maxBytes} bytes.`);
  error.headers.connection = 'close';
  return error;
}
