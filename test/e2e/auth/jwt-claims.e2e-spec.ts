import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import jwt from 'jsonwebtoken';
import { bearer, register, Session } from '../../support/auth-helpers';
import { createTestApp } from '../../support/test-app';

const SECRET = process.env.JWT_SECRET!;
const TTL_SECONDS = 600;

/**
 * Tokens signed with the real secret, issuer and audience, for the real user and
 * session, each wrong in one claim only (RFC 8725: exp required, lifetime bounded,
 * no iat in the future, sid and iat required).
 */
describe('access-token claims (e2e)', () => {
  let app: NestFastifyApplication;
  let session: Session;
  let sid: string;

  beforeAll(async () => {
    app = await createTestApp({ JWT_ACCESS_TTL_SECONDS: String(TTL_SECONDS) });
    session = await register(app);
    sid = (jwt.decode(session.accessToken) as { sid: string }).sid;
  });

  afterAll(async () => {
    await app.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  // jsonwebtoken adds an iat unless told not to; the tests set it themselves (or leave it out).
  const sign = (payload: Record<string, unknown>) =>
    jwt.sign(payload, SECRET, {
      algorithm: 'HS256',
      subject: session.user.id,
      issuer: 'commerce-api',
      audience: 'commerce-api-clients',
      noTimestamp: payload.iat === undefined,
    });
  const me = (token: string) => app.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(token) });

  async function expectInvalid(token: string, detail: RegExp): Promise<void> {
    const response = await me(token);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'AUTH_TOKEN_INVALID', detail: expect.stringMatching(detail) });
  }

  it('accepts the issued token, and a re-signed one with the same claims (control)', async () => {
    expect((await me(session.accessToken)).statusCode).toBe(200);
    expect((await me(sign({ sid, iat: now(), exp: now() + TTL_SECONDS }))).statusCode).toBe(200);
  });

  it('refuses a token without exp', async () => {
    await expectInvalid(sign({ sid, iat: now() }), /exp/);
  });

  it('refuses a lifetime longer than the configured one, by one second or by a year', async () => {
    await expectInvalid(sign({ sid, iat: now(), exp: now() + TTL_SECONDS + 1 }), /lifetime/);
    await expectInvalid(sign({ sid, iat: now() - 10, exp: now() + 365 * 24 * 3600 }), /lifetime/);
  });

  it('refuses an iat in the future beyond 60 s of skew, and accepts one within it', async () => {
    const ahead = now() + 120;
    await expectInvalid(sign({ sid, iat: ahead, exp: ahead + TTL_SECONDS }), /future/);
    const slightlyAhead = now() + 30;
    expect((await me(sign({ sid, iat: slightlyAhead, exp: slightlyAhead + TTL_SECONDS }))).statusCode).toBe(200);
  });

  it('refuses a token without sid, and one without iat', async () => {
    await expectInvalid(sign({ iat: now(), exp: now() + 60 }), /sid/);
    await expectInvalid(sign({ sid, exp: now() + 60 }), /iat/);
  });
});
