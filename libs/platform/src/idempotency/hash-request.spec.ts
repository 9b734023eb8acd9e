import { PlatformError } from '../errors/platform-error';
import { MAX_JSON_DEPTH } from '../http/json-body-parser';
import { hashRequest } from './idempotency.service';

const nested = (depth: number): unknown => {
  let value: unknown = {};
  for (let level = 1; level < depth; level++) {
    value = { a: value };
  }
  return value;
};

describe('hashRequest (the Idempotency-Key fingerprint)', () => {
  it('is insensitive to key order', () => {
    expect(hashRequest({ route: 'POST /x', body: { a: 1, b: [1, { c: 2, d: 3 }] } })).toBe(
      hashRequest({ body: { b: [1, { d: 3, c: 2 }], a: 1 }, route: 'POST /x' }),
    );
  });

  it('takes a body as deep as the JSON parser allows, and refuses deeper ones with a 400, never a stack overflow', () => {
    expect(hashRequest({ route: 'POST /x', body: nested(MAX_JSON_DEPTH) })).toMatch(/^[0-9a-f]{64}$/);
    expect(() => hashRequest({ route: 'POST /x', body: nested(MAX_JSON_DEPTH + 1) })).toThrow(PlatformError);
    expect(() => hashRequest({ route: 'POST /x', body: nested(100_000) })).toThrow(PlatformError);
  });
});
