import { AuthenticatedUser } from '@app/platform';
import { UserAccounts } from '@app/users';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { authConfig } from '../auth.config';
import { AuthError, AuthErrorCode } from '../auth.errors';
import { AccessTokenKeys } from '../tokens/access-token-keys';
import { JWT_ALGORITHM } from '../tokens/token-issuer';
import { readAccessTokenClaims } from './access-token-claims';

/**
 * passport-jwt verifies the signature first (with the key the header's `kid` names and
 * the one pinned algorithm, so `alg: none`, algorithm swaps and unknown keys fail), then
 * exp, iss and aud; `validate` then requires the claims jsonwebtoken leaves optional, a
 * user still active and a session still live: one cached lookup, dropped in every
 * process when either changes.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly users: UserAccounts,
    keys: AccessTokenKeys,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt hands this to jsonwebtoken's verify, which takes a function as the
      // key callback and calls it with the header it decoded anyway: no second decode.
      secretOrKey: keys.lookup as unknown as string,
      algorithms: [JWT_ALGORITHM],
      issuer: config.issuer,
      audience: config.audience,
      ignoreExpiration: false,
    });
  }

  async validate(payload: unknown): Promise<AuthenticatedUser> {
    const read = readAccessTokenClaims(payload, this.config.accessTtlSeconds, Date.now() / 1000);
    if ('refused' in read) {
      throw new AuthError(AuthErrorCode.TokenInvalid, `The access token is not valid: ${read.refused}.`);
    }
    const { sub, sid, iat } = read.claims;
    const check = await this.users.checkSession(sub, sid, iat * 1000);
    switch (check.status) {
      case 'active':
        return {
          id: check.user.id,
          email: check.user.email,
          roles: check.user.roles,
          sessionId: sid,
          emailVerified: check.user.emailVerified === true,
        };
      case 'user-inactive':
        throw new AuthError(AuthErrorCode.TokenInvalid, 'The access token is no longer valid.');
      case 'session-ended':
        throw new AuthError(
          AuthErrorCode.SessionRevoked,
          'This session has ended (logout, password change or revocation); log in again.',
        );
    }
  }
}
