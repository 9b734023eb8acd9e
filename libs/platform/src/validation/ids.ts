import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsUUID } from 'class-validator';

/**
 * An id (a UUID) in a path parameter, a query or a body. A UUID is case-insensitive
 * (RFC 9562), so `0192F5E4-…` and `0192f5e4-…` are the same resource; the value is
 * lower-cased here, before validation, so services, cache keys (`products:item:<id>`),
 * maps and logs only ever see the canonical form. Use it for every id field instead of
 * a bare `@IsUUID()` (dto-conventions.spec.ts checks that).
 *
 * The Swagger plugin infers `format: uuid` only from a literal `@IsUUID()`, so a body
 * field adds `@ApiProperty(ID_API_SCHEMA)` (the OpenAPI lint fails without it). Path
 * parameter DTOs must not: the document states their schema already (openapi-hardening.ts).
 */
export function IsId(): PropertyDecorator {
  const recordId: PropertyDecorator = (target, property) => {
    const owner = target.constructor;
    ID_PROPERTIES.set(owner, [...(ID_PROPERTIES.get(owner) ?? []), String(property)]);
  };
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value)),
    IsUUID(),
    recordId,
  );
}

/** Each DTO class's @IsId() properties, for the validation pipe's fast path (id-path-params.ts). */
export const ID_PROPERTIES = new WeakMap<object, readonly string[]>();

/** The OpenAPI schema of an id in a body, for `@ApiProperty(ID_API_SCHEMA)`. */
export const ID_API_SCHEMA = { type: String, format: 'uuid', maxLength: 36 } as const;
