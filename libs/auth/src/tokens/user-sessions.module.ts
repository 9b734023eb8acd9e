import { UserSessions } from '@app/users';
import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { authConfig } from '../auth.config';
import { LiveSessions } from './live-sessions';
import { RefreshTokensRepository } from './refresh-tokens.repository';

/**
 * Global so that UsersModule, which the auth lib depends on (not the reverse), can
 * inject the UserSessions port without an import cycle.
 */
@Global()
@Module({
  imports: [ConfigModule.forFeature(authConfig)],
  providers: [RefreshTokensRepository, { provide: UserSessions, useClass: LiveSessions }],
  exports: [UserSessions],
})
export class UserSessionsModule {}
