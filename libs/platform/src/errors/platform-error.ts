import { DomainError, ErrorKind, FieldError } from './domain-error';

export enum PlatformErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  DependencyUnavailable = 'DEPENDENCY_UNAVAILABLE',
}

/** Errors raised by the cross-cutting platform code itself. */
export class PlatformError extends DomainError {
  declare readonly code: PlatformErrorCode;

  constructor(code: PlatformErrorCode, message: string, errors?: FieldError[]) {
    super(code, platformErrorKind(code), message, errors);
  }
}

function platformErrorKind(code: PlatformErrorCode): ErrorKind {
  switch (code) {
    case PlatformErrorCode.ValidationFailed:
      return ErrorKind.InvalidInput;
    case PlatformErrorCode.DependencyUnavailable:
      return ErrorKind.Unavailable;
  }
}
