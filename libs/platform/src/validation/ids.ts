import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsUUID } from 'class-validator';

/**
 * An id (a UUID) in a path parameter, a query or a body. A UUID is case-insensitive
 * (RFC 9562), so `0192F5E4-…` and `0192f5e4-…` are the same resource; the value is
 * lower-cased here, before validation, so services, cache keys (`products:item:<id>`),
 * maps and logs only ever see the canonical form. Use it for every id field instead of
 * a bare `@IsUUID()` (dto-conventions.spec.ts checks that).
 */
export function IsId(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value)),
    IsUUID(),
  );
}
