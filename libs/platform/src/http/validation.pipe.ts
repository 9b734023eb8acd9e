import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from '../errors/domain-error';
import { PlatformError, PlatformErrorCode } from '../errors/platform-error';

/**
 * The global pipe: DTOs are whitelisted (unknown fields are a 400, never silently
 * dropped), transformed to their classes, and every bad field becomes one `errors[]`
 * entry of a VALIDATION_FAILED problem.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new PlatformError(
        PlatformErrorCode.ValidationFailed,
        'The request is invalid; see errors for each field.',
        flattenValidationErrors(errors),
      ),
  });
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const result: FieldError[] = [];
  for (const error of errors) {
    const field = joinPath(parent, error.property);
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) {
      result.push({ field: field === '' ? 'body' : field, message: messages.join('; ') });
    }
    if (error.children && error.children.length > 0) {
      result.push(...flattenValidationErrors(error.children, field));
    }
  }
  return result;
}

function joinPath(parent: string, property: string | undefined): string {
  if (property === undefined || property === '') {
    return parent;
  }
  return parent === '' ? property : `${parent}.${property}`;
}
