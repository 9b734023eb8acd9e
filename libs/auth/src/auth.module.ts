import { RateLimitModule } from '@app/platform';
import { UsersModule } from '@app/users';
import { Module } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountBootstrap } from './account-bootstrap';
import { AccountRecoveryController } from './account-recovery.controller';
import { AccountRecoveryService } from './account-recovery.service';
import { AccountTokenEntity } from './account-tokens/account-token.entity';
import { AccountTokensRepository } from './account-tokens/account-tokens.repository';
import { authConfig } from './auth.config';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { AccountEmails } from './email/account-emails';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { RequestAccessGuard } from './guards/request-access.guard';
import { JwtStrategy } from './guards/jwt.strategy';
import { MfaChallengeEntity } from './mfa/mfa-challenge.entity';
import { MfaChallenges } from './mfa/mfa-challenges';
import { MfaChallengesRepository } from './mfa/mfa-challenges.repository';
import { mfaConfig } from './mfa/mfa.config';
import { MfaController } from './mfa/mfa.controller';
import { MfaRecoveryCodeEntity } from './mfa/mfa-recovery-code.entity';
import { MfaRepository } from './mfa/mfa.repository';
import { MfaService } from './mfa/mfa.service';
import { UserMfaEntity } from './mfa/user-mfa.entity';
import { RolesGuard } from './guards/roles.guard';
import { VerifiedEmailGuard } from './guards/verified-email.guard';
import { PasswordController } from './password.controller';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';
import { isNotAuthRateLimited } from './throttling/auth-throttle';
import { CredentialFailureThrottle } from './throttling/credential-failure-throttle';
import { AccessTokenKeys } from './tokens/access-token-keys';
import { RefreshTokenEntity } from './tokens/refresh-token.entity';
import { RefreshTokensRepository } from './tokens/refresh-tokens.repository';
import { SessionRevocation } from './tokens/session-revocation';
import { TokenIssuer } from './tokens/token-issuer';
import { UserSessionsModule } from './tokens/user-sessions.module';

@Module({
  imports: [
    UsersModule,
    UserSessionsModule,
    PassportModule,
    ConfigModule.forFeature(authConfig),
    ConfigModule.forFeature(mfaConfig),
    TypeOrmModule.forFeature([
      RefreshTokenEntity,
      AccountTokenEntity,
      UserMfaEntity,
      MfaRecoveryCodeEntity,
      MfaChallengeEntity,
    ]),
    // The general rate limit, and auth's stricter one on the routes marked @AuthRateLimited().
    RateLimitModule.forRoot({
      imports: [ConfigModule.forFeature(authConfig)],
      inject: [authConfig.KEY],
      throttlers: (config: ConfigType<typeof authConfig>) => [
        { name: 'auth', ttl: 60_000, limit: config.throttle.authPerMinute, skipIf: isNotAuthRateLimited },
      ],
    }),
  ],
  controllers: [AuthController, PasswordController, AccountRecoveryController, MfaController],
  providers: [
    AuthService,
    PasswordHasher,
    PasswordPolicy,
    AccessTokenKeys,
    TokenIssuer,
    RefreshTokensRepository,
    CredentialFailureThrottle,
    SessionRevocation,
    JwtStrategy,
    AccountBootstrap,
    JwtAuthGuard,
    RolesGuard,
    VerifiedEmailGuard,
    AccountRecoveryService,
    AccountTokensRepository,
    AccountEmails,
    // Two-factor login (mfa/).
    MfaService,
    MfaRepository,
    MfaChallengesRepository,
    MfaChallenges,
    // The one global guard: rate limit, then authentication, then roles.
    { provide: APP_GUARD, useClass: RequestAccessGuard },
  ],
  exports: [AuthService, TokenIssuer, SessionRevocation],
})
export class AuthModule {}
