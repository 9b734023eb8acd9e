import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from '../errors/domain-error';
import { PlatformError, PlatformErrorCode } from '../errors/platform-error';
import { readIdPathParams } from '../validation/id-path-params';
import { findNulCharacters } from '../validation/nul-characters';

const INVALID = 'The request is invalid; see errors for each field.';

/**
 * The global pipe: DTOs are whitelisted (unknown fields are a 400, never silently
 * dropped), transformed to their classes, and every bad field becomes one `errors[]`
 * entry of a VALIDATION_FAILED problem.
 */
export function createValidationPipe(): ValidationPipe {
  return new ProblemValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new PlatformError(PlatformErrorCode.ValidationFailed, INVALID, { errors: flattenValidationErrors(errors) }),
  });
}

/**
 * class-transformer builds values with their constructors before validation runs, so
 * a hostile value can make it throw: `{"to": {"toString": 1}}` for a Date field is a
 * TypeError ("Cannot convert object to primitive value"); and validator's isEmail
 * throws a URIError on a lone UTF-16 surrogate. That is bad input, not a server
 * fault: a 400. Both were found by the fuzz suite.
 */
class ProblemValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'param') {
      const ids = readIdPathParams(metadata.metatype, value);
      if (ids) {
        return ids;
      }
    }
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      refuseNulCharacters(value, metadata);
    }
    try {
      return (await super.transform(value, metadata)) as unknown;
    } catch (error) {
      if (error instanceof TypeError || error instanceof RangeError || error instanceof URIError) {
        throw new PlatformError(PlatformErrorCode.ValidationFailed, INVALID, {
          errors: [
            {
              field: metadata.type === 'body' ? 'body' : (metadata.data ?? metadata.type),
              message: 'contains a value of an impossible type',
            },
          ],
        });
      }
      throw error;
    }
  }
}

/**
 * A NUL character in any string of a body, query or path parameter, at any depth, in a
 * value or a key, is refused before any DTO sees it: PostgreSQL cannot store one, so it
 * would otherwise fail as a 500 wherever the string reaches the database. Checked here,
 * once for every route, whatever its DTO, and whether or not the parameter has one.
 */
function refuseNulCharacters(value: unknown, metadata: ArgumentMetadata): void {
  const paths = findNulCharacters(value);
  if (paths.length === 0) {
    return;
  }
  const whole = metadata.type === 'body' ? 'body' : (metadata.data ?? metadata.type);
  const prefix = metadata.data ? `${metadata.data}.` : '';
  throw new PlatformError(PlatformErrorCode.ValidationFailed, INVALID, {
    errors: paths.map((path) => ({
      field: path === '' ? whole : `${prefix}${path}`,
      message: 'must not contain a NUL character (U+0000)',
    })),
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
