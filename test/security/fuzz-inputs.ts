import fc from 'fast-check';

/** The generators of the fuzz suite: hostile values, bodies and path parameters per operation. */
export interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query: string[];
  bodyProperties: string[];
  /** The query parameters and body properties documented as `format: date-time`. */
  dateQuery: string[];
  dateBody: string[];
  /** Documents the Idempotency-Key header (the one header the API stores). */
  idempotent: boolean;
}

export type Schema = { $ref?: string; format?: string; properties?: Record<string, Schema> };

/** A string with a NUL character somewhere (PostgreSQL cannot store one). */
export const withNul = fc
  .tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }))
  .map(([before, after]) => `${before}\u0000${after}`);

export const pad = (value: number, width: number) => String(value).padStart(width, '0');

/**
 * Dates the API must refuse (400): years before 1970 or after 9999 (negative and
 * expanded ±YYYYYY years included), impossible calendar dates, and the loose formats
 * `new Date()` would take (bare dates, no offset, epoch numbers, English).
 */
export const extremeDate = fc.oneof(
  fc
    .integer({ min: -271_821, max: 1969 })
    .map((year) => `${year < 0 ? `-${pad(-year, 6)}` : pad(year, 4)}-01-01T00:00:00Z`),
  fc.integer({ min: 10_000, max: 275_760 }).map((year) => `+${pad(year, 6)}-06-15T12:00:00Z`),
  fc.integer({ min: 10_000, max: 99_999 }).map((year) => `${year}-01-01T00:00:00.000Z`),
  fc
    .record({
      year: fc.integer({ min: 1970, max: 9999 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 29, max: 35 }),
    })
    .filter(({ year, month, day }) => day > new Date(Date.UTC(year, month, 0)).getUTCDate())
    .map(({ year, month, day }) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T00:00:00Z`),
  fc
    .tuple(
      fc.date({ min: new Date('1970-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }),
      fc.nat(5),
    )
    .map(
      ([date, form]) =>
        [
          date.toISOString().slice(0, 10),
          date.toISOString().slice(0, 19),
          date.toISOString().replace('T', ' '),
          date.toUTCString(),
          date.toDateString(),
          String(date.getTime()),
        ][form],
    ),
  fc.constantFrom(
    '1',
    '0',
    '-1',
    'Dec 5 2026',
    'now',
    '2026-02-30T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T10:00:00+25:00',
    '-271821-04-20T00:00:00Z',
  ),
);

/** A UUID with each letter upper- or lower-cased at random. */
export const anyCase = (id: string) =>
  fc
    .array(fc.boolean(), { minLength: id.length, maxLength: id.length })
    .map((upper) => [...id].map((char, index) => (upper[index] ? char.toUpperCase() : char)).join(''));

/** A JSON text of objects and arrays nested `depth` levels deep. */
export const nestedJson = (depth: number, arrays: boolean) =>
  arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
export const tooDeepJson = fc
  .tuple(fc.integer({ min: 33, max: 10_000 }), fc.boolean())
  .map(([depth, arrays]) => nestedJson(depth, arrays));

/** Hostile scalars: wrong types, huge and odd strings, unicode, extreme numbers and dates. */
export const hostileScalar = fc.oneof(
  withNul,
  extremeDate,
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '😀'.repeat(50),
    'x'.repeat(20_000),
    '../../etc/passwd',
    '%00',
    "' OR 1=1 --",
    '<script>',
    'null',
    'NaN',
  ),
  fc.integer(),
  fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308, -1e308, 0.5),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.uuid(),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
);
export const hostileValue = fc.oneof(
  { weight: 4, arbitrary: hostileScalar },
  { weight: 1, arbitrary: fc.array(hostileScalar, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), hostileScalar, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.constant(deepNesting(200)) },
);

export function deepNesting(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) {
    value = { nested: value };
  }
  return value;
}

/** A body: the documented fields with hostile values, some missing, some extra; or raw junk. */
export function bodyFor(operation: Operation): fc.Arbitrary<{ payload: string; contentType: string }> {
  const fields = fc
    .record({
      known: fc
        .subarray(operation.bodyProperties)
        .chain((names) => fc.tuple(...names.map((name) => fc.tuple(fc.constant(name), hostileValue)))),
      extra: fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), hostileValue), { maxLength: 2 }),
    })
    .map(({ known, extra }) => JSON.stringify(Object.fromEntries([...known, ...extra])));
  return fc.oneof(
    { weight: 6, arbitrary: fields.map((payload) => ({ payload, contentType: 'application/json' })) },
    {
      weight: 1,
      arbitrary: fc.jsonValue().map((value) => ({ payload: JSON.stringify(value), contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('{', '{"a":', '[1,2', 'nul', '{"__proto__":{"x":1}}', '\u0000')
        .map((payload) => ({ payload, contentType: 'application/json' })),
    },
    { weight: 1, arbitrary: tooDeepJson.map((payload) => ({ payload, contentType: 'application/json' })) },
    {
      weight: 1,
      arbitrary: fc.string().map((payload) => ({
        payload,
        contentType: fc.sample(
          fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded'),
          1,
        )[0],
      })),
    },
  );
}

export const pathParam = fc.oneof(
  fc.uuid(),
  hostileScalar.map(String),
  fc.constantFrom('me', '00000000-0000-0000-0000-000000000000', 'a'.repeat(300)),
);

/** The served OpenAPI document, as far as the fuzz suite reads it. */
export interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ in: string; name: string; schema?: Schema }>;
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      }
    >
  >;
  components: { schemas: Record<string, Schema> };
}

/** Every operation of the document with the inputs the generators aim at. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'patch', 'put', 'delete'].includes(method))
      .map(([method, spec]) => {
        const schema = spec.requestBody?.content?.['application/json']?.schema;
        const resolved = schema?.$ref ? document.components.schemas[schema.$ref.split('/').pop()!] : schema;
        return {
          method: method.toUpperCase() as Operation['method'],
          path,
          query: (spec.parameters ?? [])
            .filter((parameter) => parameter.in === 'query')
            .map((parameter) => parameter.name),
          bodyProperties: Object.keys(resolved?.properties ?? {}),
          dateQuery: (spec.parameters ?? [])
            .filter((parameter) => parameter.in === 'query' && parameter.schema?.format === 'date-time')
            .map((parameter) => parameter.name),
          idempotent: (spec.parameters ?? []).some(
            (parameter) => parameter.in === 'header' && parameter.name.toLowerCase() === 'idempotency-key',
          ),
          dateBody: Object.entries(resolved?.properties ?? {})
            .filter(([, property]) => property.format === 'date-time')
            .map(([name]) => name),
        };
      }),
  );
}

/** Whether an operation takes a request body. */
export const takesBody = (operation: Operation) =>
  operation.method === 'POST' || operation.method === 'PATCH' || operation.method === 'PUT';

export const fieldsOf = (response: { json<T>(): T }) =>
  (response.json<{ errors?: Array<{ field: string }> }>().errors ?? []).map((error) => error.field);
export const expect400For = (
  response: { statusCode: number; body: string; json<T>(): T },
  field: string,
  code = 'VALIDATION_FAILED',
) => {
  if (response.statusCode === 429) {
    return undefined;
  }
  if (response.statusCode !== 400 || response.json<{ code?: string }>().code !== code) {
    return `${field}: ${response.statusCode} ${response.body.slice(0, 200)}`;
  }
  return code === 'VALIDATION_FAILED' && !fieldsOf(response).includes(field)
    ? `${field} not in errors: ${response.body.slice(0, 200)}`
    : undefined;
};

/**
 * Second factors that must never complete a login: hostile values, well-formed codes
 * other than the ones the secret gives now (`wrongCode`), and recovery codes in the
 * right format that were never issued.
 */
export const wrongSecondFactor = (wrongCode: () => string) =>
  fc.oneof(
    fc.record({
      code: fc.oneof(
        hostileValue,
        fc.constant(null).map(() => wrongCode()),
      ),
    }),
    fc.record({
      recoveryCode: fc.oneof(hostileValue, fc.stringMatching(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/)),
    }),
    fc.record({ code: hostileValue, recoveryCode: hostileValue }),
    fc.constant({}),
  );
