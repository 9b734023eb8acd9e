import { generateSecret, generateURI, verifySync } from 'otplib';

/** RFC 6238 as authenticator apps expect it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;

/** A new base32 secret of 20 random bytes (160 bits, RFC 4226's recommendation). */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The `otpauth://totp/...` URI an authenticator app scans (as a QR code) to add the account. */
export function otpauthUrl(secret: string, issuer: string, account: string): string {
  return generateURI({
    issuer,
    label: account,
    secret,
    algorithm: 'sha1',
    digits: DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

/** The time step a moment falls in. */
export function timeStepAt(epochMs: number): number {
  return Math.floor(epochMs / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The time step `code` belongs to, or null. A code is accepted for the current step or
 * one step either side (clock drift, a code typed as it rolls over), and only for a step
 * after `lastStep`, the latest one this user already used: a code seen once, or any
 * earlier code, is refused (RFC 6238 section 5.2). The caller stores the step it
 * returns, with a compare-and-set so two concurrent requests cannot both use it.
 */
export function acceptedStep(secret: string, code: string, epochMs: number, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) {
    return null;
  }
  const result = verifySync({
    secret,
    token: code,
    algorithm: 'sha1',
    digits: DIGITS,
    period: TOTP_PERIOD_SECONDS,
    epoch: Math.floor(epochMs / 1000),
    epochTolerance: TOTP_PERIOD_SECONDS,
    ...(lastStep === null ? {} : { afterTimeStep: lastStep }),
  });
  // The TOTP result carries the step; the HOTP one (same union type) never comes back here.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
