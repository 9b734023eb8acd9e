import { defineErrors, ErrorCodeOf, ErrorKind } from '@app/platform';

export class FileError extends defineErrors('FileError', {
  NotFound: ['FILE_NOT_FOUND', ErrorKind.NotFound],
  TooLarge: ['FILE_TOO_LARGE', ErrorKind.PayloadTooLarge],
  MissingFile: ['FILE_MISSING', ErrorKind.InvalidInput],
  MalformedUpload: ['FILE_UPLOAD_MALFORMED', ErrorKind.InvalidInput],
  RangeNotSatisfiable: ['FILE_RANGE_NOT_SATISFIABLE', ErrorKind.RangeNotSatisfiable],
}) {}

export const FileErrorCode = FileError.codes;
export type FileErrorCode = ErrorCodeOf<typeof FileErrorCode>;

/** Over the size limit; the unread rest of the body is not drained: the connection ends after the answer. */
export function fileTooLarge(maxBytes: number): FileError {
  return new FileError(FileErrorCode.TooLarge, `Files may be at most ${maxBytes} bytes.`, { inputLeftUnread: true });
}
