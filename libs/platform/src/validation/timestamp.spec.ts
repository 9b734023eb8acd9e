import fc from 'fast-check';
import { MAX_TIMESTAMP_MS, MIN_TIMESTAMP_MS, parseTimestamp, TIMESTAMP_MAX_LENGTH } from './timestamp';

describe('parseTimestamp (the API date-time grammar)', () => {
  it.each([
    ['2026-11-23T10:00:00Z', '2026-11-23T10:00:00.000Z'],
    ['2026-11-23T10:00:00.000Z', '2026-11-23T10:00:00.000Z'],
    ['2026-11-23t10:00:00.5z', '2026-11-23T10:00:00.500Z'],
    ['2026-11-23T10:00:00.123456789Z', '2026-11-23T10:00:00.123Z'],
    ['2026-11-23T10:00:00+02:00', '2026-11-23T08:00:00.000Z'],
    ['2026-11-23T10:00:00-05:30', '2026-11-23T15:30:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z'],
    ['1969-12-31T23:00:00-01:00', '1970-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    ['9999-12-31T23:59:59.999999999+00:00', '9999-12-31T23:59:59.999Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseTimestamp(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-11-23', // a bare date names no instant
    '2026-11-23T10:00:00', // no offset
    '2026-11-23T10:00Z', // no seconds
    '2026-11-23 10:00:00Z',
    'Dec 5 2026',
    '1',
    '1764633600000',
    '',
    ' 2026-11-23T10:00:00Z',
    '2026-11-23T10:00:00Z ',
    '-271821-04-20T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '+010000-01-01T00:00:00Z',
    '10000-01-01T00:00:00Z',
    '9999-12-31T23:00:00-01:00', // 10000-01-01 in UTC
    '1969-12-31T23:59:59.999Z',
    '1960-01-01T00:00:00Z',
    '0070-01-01T00:00:00Z', // Date.UTC would read year 70 as 1970
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-00T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T23:60:00Z',
    '2026-01-01T23:59:60Z', // leap seconds have no JavaScript instant
    '2026-01-01T10:00:00+24:00',
    '2026-01-01T10:00:00+01:60',
    '2026-01-01T10:00:00+0100',
    '2026-01-01T10:00:00.Z',
    '2026-01-01T10:00:00.1234567890Z',
    '２０２６-01-01T10:00:00Z', // full-width digits
    '2026-01-01T10:00:00Z\u0000',
  ])('refuses %j', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });

  it('round-trips every instant of 1970..9999 written by toISOString, and accepts nothing longer than the documented maximum', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(MIN_TIMESTAMP_MS), max: new Date(MAX_TIMESTAMP_MS), noInvalidDate: true }),
        (date) => {
          expect(parseTimestamp(date.toISOString())?.getTime()).toBe(date.getTime());
        },
      ),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const parsed = parseTimestamp(text);
        if (parsed) {
          expect(text.length).toBeLessThanOrEqual(TIMESTAMP_MAX_LENGTH);
          expect(parsed.getTime()).toBeGreaterThanOrEqual(MIN_TIMESTAMP_MS);
          expect(parsed.getTime()).toBeLessThanOrEqual(MAX_TIMESTAMP_MS);
        }
      }),
    );
  });
});
