import { generateSync } from 'otplib';
import { acceptedStep, newTotpSecret, otpauthUrl, timeStepAt, TOTP_PERIOD_SECONDS } from './totp';

const secret = newTotpSecret();
const STEP = 59_000_000;
/** A moment inside `STEP` (10 s into it). */
const NOW_MS = (STEP * TOTP_PERIOD_SECONDS + 10) * 1000;
const codeOf = (step: number) => generateSync({ secret, epoch: step * TOTP_PERIOD_SECONDS });

describe('TOTP: the step and replay rule', () => {
  it('places a moment in its 30-second step', () => {
    expect(timeStepAt(NOW_MS)).toBe(STEP);
    expect(timeStepAt(STEP * 30_000 - 1)).toBe(STEP - 1);
  });

  it('accepts the current step and one step either side, and says which', () => {
    expect(acceptedStep(secret, codeOf(STEP), NOW_MS, null)).toBe(STEP);
    expect(acceptedStep(secret, codeOf(STEP - 1), NOW_MS, null)).toBe(STEP - 1);
    expect(acceptedStep(secret, codeOf(STEP + 1), NOW_MS, null)).toBe(STEP + 1);
  });

  it('refuses codes two steps away or more', () => {
    for (const step of [STEP - 3, STEP - 2, STEP + 2, STEP + 3]) {
      expect(acceptedStep(secret, codeOf(step), NOW_MS, null)).toBeNull();
    }
  });

  it('refuses a code of the last accepted step (a replay) or of any earlier one', () => {
    expect(acceptedStep(secret, codeOf(STEP), NOW_MS, STEP)).toBeNull();
    expect(acceptedStep(secret, codeOf(STEP - 1), NOW_MS, STEP)).toBeNull();
    expect(acceptedStep(secret, codeOf(STEP - 1), NOW_MS, STEP - 1)).toBeNull();
    expect(acceptedStep(secret, codeOf(STEP), NOW_MS, STEP - 1)).toBe(STEP);
  });

  it('accepts the next step after the last one used while it is in the window', () => {
    expect(acceptedStep(secret, codeOf(STEP + 1), NOW_MS, STEP)).toBe(STEP + 1);
  });

  it("refuses another secret's code and anything that is not 6 digits", () => {
    expect(acceptedStep(newTotpSecret(), codeOf(STEP), NOW_MS, null)).toBeNull();
    for (const code of ['', '12345', '1234567', 'abcdef', ` ${codeOf(STEP).slice(1)}`]) {
      expect(acceptedStep(secret, code, NOW_MS, null)).toBeNull();
    }
  });

  it('makes an otpauth URI with the RFC 6238 parameters authenticator apps expect', () => {
    const url = new URL(otpauthUrl(secret, 'Commerce API', 'ada@example.com'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Commerce API:ada@example.com');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ secret, issuer: 'Commerce API' });
    expect(['SHA1', null]).toContain(url.searchParams.get('algorithm'));
  });
});
