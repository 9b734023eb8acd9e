/**
 * A 256-bit key given in the environment as 64 hex digits or as base64 (standard or
 * URL-safe alphabet). `undefined` for anything else, so the caller names the variable.
 * Shared by the production guard and the feature that uses the key (MFA_ENCRYPTION_KEY).
 */
export function parseEncryptionKey(value: string): Buffer | undefined {
  const text = value.trim();
  if (/^[0-9a-f]{64}$/i.test(text)) {
    return Buffer.from(text, 'hex');
  }
  if (!/^[\w+/-]{43}=?$/.test(text)) {
    return undefined;
  }
  const key = Buffer.from(text, 'base64');
  return key.length === 32 ? key : undefined;
}

/** A key of one repeated byte (all zeros, `AAAA...`) is a placeholder, not a secret. */
export function isPlaceholderKey(key: Buffer): boolean {
  return key.every((byte) => byte === key[0]);
}
