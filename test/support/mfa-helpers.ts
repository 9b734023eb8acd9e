import { generateSync } from 'otplib';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer, PASSWORD, register, uniqueEmail } from './auth-helpers';

/**
 * An authenticator app for one secret, with the server's replay rule in mind: each code
 * it gives is of a later time step than the one before (the current step, or the next
 * one, which the server still accepts), so a test can use two codes in a row without
 * waiting. `codeOfLastStep` is the code already used, for replay checks.
 */
export class Authenticator {
  private lastStep: number | undefined;

  constructor(readonly secret: string) {}

  nextCode(): string {
    const now = Math.floor(Date.now() / 30_000);
    this.lastStep = this.lastStep === undefined ? now : Math.max(now, this.lastStep + 1);
    return this.codeOfLastStep();
  }

  codeOfLastStep(): string {
    return generateSync({ secret: this.secret, epoch: this.lastStep! * 30 });
  }

  /** A 6-digit code this secret gives at no step near now. */
  wrongCode(): string {
    const near = [-2, -1, 0, 1, 2].map((offset) =>
      generateSync({ secret: this.secret, epoch: (Math.floor(Date.now() / 30_000) + offset) * 30 }),
    );
    let code = '000000';
    for (let n = 0; near.includes(code); n++) {
      code = String(n).padStart(6, '0');
    }
    return code;
  }
}

export interface MfaUser {
  email: string;
  accessToken: string;
  userId: string;
  authenticator: Authenticator;
  recoveryCodes: string[];
}

/** Registers a user and turns two-factor on (setup, then enable with a current code). */
export async function registerWithMfa(app: NestFastifyApplication): Promise<MfaUser> {
  const email = uniqueEmail('mfa');
  const session = await register(app, email);
  const setup = await app.inject({ method: 'POST', url: '/v1/auth/2fa/setup', headers: bearer(session.accessToken) });
  if (setup.statusCode !== 200) {
    throw new Error(`2fa setup failed: ${setup.statusCode} ${setup.body}`);
  }
  const authenticator = new Authenticator(setup.json<{ secret: string }>().secret);
  const enable = await app.inject({
    method: 'POST',
    url: '/v1/auth/2fa/enable',
    headers: bearer(session.accessToken),
    payload: { code: authenticator.nextCode() },
  });
  if (enable.statusCode !== 200) {
    throw new Error(`2fa enable failed: ${enable.statusCode} ${enable.body}`);
  }
  const { recoveryCodes } = enable.json<{ recoveryCodes: string[] }>();
  return { email, accessToken: session.accessToken, userId: session.user.id, authenticator, recoveryCodes };
}

/** Password step of a two-factor login: the mfaToken. */
export async function mfaToken(app: NestFastifyApplication, email: string, remoteAddress?: string): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    remoteAddress,
    payload: { email, password: PASSWORD },
  });
  const body = response.json<{ mfaRequired?: boolean; mfaToken?: string }>();
  if (response.statusCode !== 200 || body.mfaRequired !== true || !body.mfaToken) {
    throw new Error(`expected an mfa challenge: ${response.statusCode} ${response.body}`);
  }
  return body.mfaToken;
}

export function verifyMfa(
  app: NestFastifyApplication,
  payload: { mfaToken: string; code?: unknown; recoveryCode?: unknown },
  remoteAddress?: string,
) {
  return app.inject({ method: 'POST', url: '/v1/auth/2fa/verify', remoteAddress, payload });
}
