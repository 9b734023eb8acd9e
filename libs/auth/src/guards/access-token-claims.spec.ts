import { readAccessTokenClaims } from './access-token-claims';

describe('readAccessTokenClaims (RFC 8725 claim rules)', () => {
  const now = 1_800_000_000;
  const sub = '01900000-0000-7000-8000-000000000001';
  const sid = '01900000-0000-7000-8000-000000000002';
  const good = { sub, sid, iat: now, exp: now + 900 };
  const read = (payload: object) => readAccessTokenClaims(payload, 900, now);

  it('accepts what the issuer mints, and a small clock skew', () => {
    expect(read(good)).toEqual({ claims: good });
    expect(read({ ...good, iat: now + 60, exp: now + 960 })).toEqual({
      claims: { ...good, iat: now + 60, exp: now + 960 },
    });
  });

  it.each([
    ['no exp', { ...good, exp: undefined }, /expiry/],
    ['no iat', { ...good, iat: undefined }, /issue time/],
    ['an iat beyond the skew', { ...good, iat: now + 61, exp: now + 61 + 900 }, /future/],
    ['a lifetime longer than configured', { ...good, exp: now + 901 }, /lifetime/],
    ['no sid', { ...good, sid: undefined }, /session/],
    ['a sid that is not an id', { ...good, sid: 'abc' }, /session/],
    ['a sub that is not an id', { ...good, sub: 42 }, /user/],
  ])('refuses %s', (_name, payload, reason) => {
    const result = read(payload);
    expect('refused' in result && result.refused).toMatch(reason);
  });
});
