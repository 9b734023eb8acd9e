import { AuthenticatedUser } from '@app/platform';
import { UsersService } from '@app/users';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { authConfig } from '../auth.config';
import { AuthError, AuthErrorCode } from '../auth.errors';
import { JWT_ALGORITHM, TokenIssuer } from '../tokens/token-issuer';

interface AccessTokenPayload {
  sub: string;
  sid?: string;
}

/**
 * passport-jwt verifies the signature first (with the one pinned algorithm, so
 * `alg: none` and algorithm swaps fail), then exp, iss and aud; `validate` then
 * requires the user to still be active (cached briefly, dropped on admin changes).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly users: UsersService,
    tokens: TokenIssuer,
    @Inject(authConfig.KEY) config: ConfigType<typeof authConfig>,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: tokens.key as unknown as string,
      algorithms: [JWT_ALGORITHM],
      issuer: config.issuer,
      audience: config.audience,
      ignoreExpiration: false,
    });
  }

  async validate(payload: AccessTokenPayload): Promise<AuthenticatedUser> {
    const user = typeof payload.sub === 'string' ? await this.users.findActiveUser(payload.sub) : null;
    if (!user) {
      throw new AuthError(AuthErrorCode.TokenInvalid, 'The access token is no longer valid.');
    }
    return { id: user.id, email: user.email, roles: user.roles, sessionId: payload.sid };
  }
}
