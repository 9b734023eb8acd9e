import { isNotModified, rangeStillApplies } from './conditional-request';

const ETAG = '"abc123"';

describe('isNotModified (If-None-Match, weak comparison)', () => {
  it.each([
    ['the same strong tag', '"abc123"'],
    ['the same tag sent back weak', 'W/"abc123"'],
    ['the tag among others', '"other", "abc123"'],
    ['the weak tag among others, without spaces', 'W/"other",W/"abc123"'],
    ['the tag with surrounding whitespace', ' \t"abc123" '],
    ['a wildcard', '*'],
    ['a wildcard after a space', ' *'],
    ['a tag with a comma inside before the matching one', '"a,b", "abc123"'],
  ])('matches %s', (_case, header) => {
    expect(isNotModified(header, ETAG)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another tag', '"abc124"'],
    ['another weak tag', 'W/"abc124"'],
    ['the tag without its quotes', 'abc123'],
    ['a prefix of the tag', '"abc12"'],
    ['a tag that contains the current one', '"xabc123"'],
    ['a lower-case weak prefix (not a weak tag)', 'w/"abc123"'],
    ['an unterminated tag', '"abc123'],
    ['a tag holding a comma, which a split on commas would take for the current one', '"a, "abc123"'],
    ['only commas and spaces', ' , ,'],
  ])('does not match %s', (_case, header) => {
    expect(isNotModified(header, ETAG)).toBe(false);
  });

  it('stops at the first malformed member rather than guessing', () => {
    expect(isNotModified('garbage, "abc123"', ETAG)).toBe(false);
  });
});

describe('rangeStillApplies (If-Range, strong comparison)', () => {
  it('applies the range without If-Range', () => {
    expect(rangeStillApplies(undefined, ETAG)).toBe(true);
  });

  it('applies the range when If-Range is the current strong tag', () => {
    expect(rangeStillApplies('"abc123"', ETAG)).toBe(true);
    expect(rangeStillApplies(' "abc123" ', ETAG)).toBe(true);
  });

  it.each([
    ['a weak tag, even of the current version', 'W/"abc123"'],
    ['a stale tag', '"abc122"'],
    ['a date (there is no Last-Modified)', 'Fri, 04 Dec 2026 10:00:00 GMT'],
    ['a wildcard (not allowed in If-Range)', '*'],
    ['an empty value', ''],
  ])('ignores the range for %s', (_case, header) => {
    expect(rangeStillApplies(header, ETAG)).toBe(false);
  });
});
