import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

/**
 * The one date-time grammar of the API: RFC 3339 (the ISO 8601 profile OpenAPI's
 * `format: date-time` means). A full date and time with seconds, an optional fraction
 * (up to nanoseconds; kept to the millisecond), and `Z` or a `±hh:mm` offset. Nothing
 * else: no bare date (it would say nothing about the time zone), no `Dec 5 2026`, no
 * epoch numbers, no expanded years (`+010000`), no rolled-over dates (`2026-02-30`).
 * The instant must lie in 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z, inside
 * what PostgreSQL and JavaScript both represent exactly.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/i;

export const MIN_TIMESTAMP_MS = Date.UTC(1970, 0, 1);
export const MAX_TIMESTAMP_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The longest accepted form: `9999-12-31T23:59:59.123456789+00:00`. */
export const TIMESTAMP_MAX_LENGTH = 35;

export const TIMESTAMP_RULE =
  'an RFC 3339 date-time with Z or an offset (e.g. 2026-11-23T10:00:00Z), a real calendar date in the years 1970..9999';

/** The OpenAPI schema of every date-time input, for `@ApiProperty({ ...TIMESTAMP_API_SCHEMA, description })`. */
export const TIMESTAMP_API_SCHEMA = {
  type: String,
  format: 'date-time',
  maxLength: TIMESTAMP_MAX_LENGTH,
  example: '2026-11-23T10:00:00Z',
} as const;

/** The instant `text` names, or undefined when it is not a valid timestamp of the API. */
export function parseTimestamp(text: string): Date | undefined {
  const match = RFC3339.exec(text);
  if (!match) {
    return undefined;
  }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const millisecond = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const sign = match[8] === '-' ? -1 : 1;
  const offsetHours = Number(match[9] ?? 0);
  const offsetMinutes = Number(match[10] ?? 0);
  // Years below 1969 are refused before Date.UTC, which reads 0 to 99 as 1900 to 1999.
  if (year < 1969 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return undefined;
  }
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) {
    return undefined;
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const instant = local - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  return instant >= MIN_TIMESTAMP_MS && instant <= MAX_TIMESTAMP_MS ? new Date(instant) : undefined;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A date-time input (body, query): the string becomes a Date when it follows
 * `parseTimestamp`'s grammar, and anything else (another format, another type, an
 * object) is one VALIDATION_FAILED `errors[]` entry for the field. Use it for every
 * date input instead of `@Type(() => Date) @IsDate()`, whose `new Date(value)` accepts
 * almost anything (`1`, `Dec 5 2026`, `-271821-04-20`).
 */
export function IsTimestamp(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (parseTimestamp(value) ?? value) : value,
    ),
    ValidateBy({
      name: 'isTimestamp',
      // Only the transform above makes a Date: JSON and query strings have none.
      validator: {
        validate: (value: unknown) => value instanceof Date,
        defaultMessage: (args) => `${args?.property ?? 'value'} must be ${TIMESTAMP_RULE}`,
      },
    }),
  );
}
