import { Transform } from 'class-transformer';

/** An optional minus and up to 15 decimal digits: always a safe integer, nothing else. */
const DECIMAL_INTEGER = /^-?\d{1,15}$/;

/**
 * Turns an integer query parameter from its string form into a number, for decimal
 * digits only. `@Type(() => Number)` used `Number()`, which also reads `1e1`, `0x10`,
 * `+5`, ` 5`, `5.0` and `''` (as 0) as integers; here anything else stays a string and
 * fails the property's `@IsInt()` with a 400. Use it on every integer query field.
 */
export function QueryInt(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value,
  );
}
