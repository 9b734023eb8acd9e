import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox (AES-256-GCM at rest)', () => {
  const box = new SecretBox(randomBytes(32));
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  it('opens what it sealed, and never holds the secret in clear', () => {
    const sealed = box.seal(secret, 'user-1');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain(secret);
    expect(box.open(sealed, 'user-1')).toBe(secret);
  });

  it('uses a fresh IV each time: the same secret seals differently', () => {
    expect(box.seal(secret, 'user-1')).not.toBe(box.seal(secret, 'user-1'));
  });

  it.each([
    ['a flipped ciphertext bit', (parts: string[]) => [parts[0], parts[1], flipFirstBit(parts[2]), parts[3]]],
    ['a flipped tag bit', (parts: string[]) => [parts[0], parts[1], parts[2], flipFirstBit(parts[3])]],
    ['a flipped IV bit', (parts: string[]) => [parts[0], flipFirstBit(parts[1]), parts[2], parts[3]]],
    ['a truncated tag', (parts: string[]) => [parts[0], parts[1], parts[2], parts[3].slice(0, 8)]],
    ['another version', (parts: string[]) => ['v2', parts[1], parts[2], parts[3]]],
    ['a missing part', (parts: string[]) => parts.slice(0, 3)],
  ])('refuses %s', (_name, tamper) => {
    const parts = box.seal(secret, 'user-1').split('.');
    expect(() => box.open(tamper(parts).join('.'), 'user-1')).toThrow();
  });

  it("refuses another user's row: the owner is authenticated data", () => {
    expect(() => box.open(box.seal(secret, 'user-1'), 'user-2')).toThrow();
  });

  it('refuses a value sealed under another key', () => {
    expect(() => new SecretBox(randomBytes(32)).open(box.seal(secret, 'user-1'), 'user-1')).toThrow();
  });

  it('takes only a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow('32-byte');
  });
});

function flipFirstBit(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] ^= 1;
  return bytes.toString('base64url');
}
