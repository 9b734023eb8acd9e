import type { KeyObject } from 'node:crypto';
import type { ConfigType } from '@nestjs/config';
import type { authConfig } from '../auth.config';
import { AccessTokenKeys, keyIdOf } from './access-token-keys';

const CURRENT = 'current-secret-of-at-least-32-bytes-0123456789';
const PREVIOUS = 'previous-secret-of-at-least-32-bytes-012345678';

const keysFor = (secret: string, previousSecret?: string) =>
  new AccessTokenKeys({ secret, previousSecret } as ConfigType<typeof authConfig>);

/** The key (as its bytes) or the error the lookup answers for a header. */
function lookUp(keys: AccessTokenKeys, header: { kid?: unknown }): string | Error {
  let answer: string | Error = new Error('no answer');
  keys.lookup(header, (error: Error | null, key?: KeyObject) => {
    answer = error ?? key!.export().toString('utf8');
  });
  return answer;
}

describe('AccessTokenKeys', () => {
  it('names a key by 16 base64url characters of its hash, the same in every process, never the secret', () => {
    const kid = keyIdOf(CURRENT);
    expect(kid).toMatch(/^[\w-]{16}$/);
    expect(keyIdOf(CURRENT)).toBe(kid);
    expect(keyIdOf(PREVIOUS)).not.toBe(kid);
    expect(CURRENT).not.toContain(kid);
    expect(keysFor(CURRENT).signingKid).toBe(kid);
  });

  it('signs with the current key, and verifies each token with the key its kid names', () => {
    const keys = keysFor(CURRENT, PREVIOUS);
    expect(keys.signingKey.export().toString('utf8')).toBe(CURRENT);
    expect(lookUp(keys, { kid: keyIdOf(CURRENT) })).toBe(CURRENT);
    expect(lookUp(keys, { kid: keyIdOf(PREVIOUS) })).toBe(PREVIOUS);
  });

  it('knows no previous key unless JWT_PREVIOUS_SECRET is set', () => {
    expect(lookUp(keysFor(CURRENT), { kid: keyIdOf(PREVIOUS) })).toBeInstanceOf(Error);
  });

  it.each([
    ['an unknown kid', 'AAAAAAAAAAAAAAAA'],
    ['a kid that is not a string', 42],
    ['a null kid', null],
    ['a prototype name', '__proto__'],
  ])('refuses %s', (_name, kid) => {
    expect(lookUp(keysFor(CURRENT, PREVIOUS), { kid })).toBeInstanceOf(Error);
  });

  it('verifies a token without kid (minted before kids) with the current key only', () => {
    expect(lookUp(keysFor(CURRENT, PREVIOUS), {})).toBe(CURRENT);
  });

  it('accepts the same secret in both settings', () => {
    const keys = keysFor(CURRENT, CURRENT);
    expect(lookUp(keys, { kid: keyIdOf(CURRENT) })).toBe(CURRENT);
  });
});
