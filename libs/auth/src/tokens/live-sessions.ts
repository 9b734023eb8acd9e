import { UserSessions } from '@app/users';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { authConfig } from '../auth.config';
import { RefreshTokensRepository } from './refresh-tokens.repository';

/**
 * Covers the delay between writing a session's token row and signing its access
 * token, clock skew between hosts and the database, and a future `iat` within the
 * accepted 60 s skew.
 */
const ISSUE_MARGIN_SECONDS = 120;

/** Binds the users lib's port: a session is live while its refresh-token family is. */
@Injectable()
export class LiveSessions extends UserSessions {
  constructor(
    private readonly refreshTokens: RefreshTokensRepository,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {
    super();
  }

  liveSessionIds(userId: string): Promise<string[]> {
    // Families idle longer than an access token lives cannot hold one, so the list stays short.
    return this.refreshTokens.liveFamilyIds(userId, this.config.accessTtlSeconds + ISSUE_MARGIN_SECONDS);
  }
}
