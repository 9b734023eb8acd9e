import { AuthenticatedUser, CurrentUser, ProblemDetailsDto, Public, SignedInRoute } from '@app/platform';
import { Body, Controller, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SessionResponse } from '../dto/token-pair.response';
import { AuthRateLimited } from '../throttling/auth-throttle';
import { MfaCodeDto } from './dto/mfa-code.dto';
import { MfaRecoveryCodesResponse, MfaSetupResponse } from './dto/mfa.responses';
import { VerifyMfaDto } from './dto/verify-mfa.dto';
import { MfaService } from './mfa.service';

const CODE_FAILURES = 'RATE_LIMITED, or AUTH_TOO_MANY_ATTEMPTS after repeated wrong codes; see Retry-After';

/** Two-factor login with TOTP (RFC 6238); the client address is Fastify's (TRUST_PROXY decides). */
@ApiTags('auth')
@ApiTooManyRequestsResponse({ type: ProblemDetailsDto, description: CODE_FAILURES })
@Controller('auth/2fa')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @Post('setup')
  @SignedInRoute()
  @AuthRateLimited()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Start two-factor setup: a new TOTP secret, not active until enable' })
  @ApiOkResponse({ type: MfaSetupResponse, description: 'The pending secret, shown only now' })
  @ApiUnauthorizedResponse({ type: ProblemDetailsDto, description: 'No valid access token' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'AUTH_MFA_ALREADY_ENABLED' })
  setup(@CurrentUser() user: AuthenticatedUser): Promise<MfaSetupResponse> {
    return this.mfa.setup(user);
  }

  @Post('enable')
  @SignedInRoute()
  @AuthRateLimited()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Turn two-factor login on with a code of the pending secret; the user's other sessions are revoked",
  })
  @ApiOkResponse({
    type: MfaRecoveryCodesResponse,
    description: 'Two-factor is on; the recovery codes, shown only now',
  })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'AUTH_MFA_CODE_INVALID or VALIDATION_FAILED' })
  @ApiUnauthorizedResponse({ type: ProblemDetailsDto, description: 'No valid access token' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'AUTH_MFA_ALREADY_ENABLED or AUTH_MFA_SETUP_REQUIRED' })
  enable(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: MfaCodeDto,
    @Ip() clientIp: string,
  ): Promise<MfaRecoveryCodesResponse> {
    return this.mfa.enable(user, body.code, clientIp);
  }

  @Public()
  @Post('verify')
  @AuthRateLimited()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Complete a two-factor login: login's mfaToken and a TOTP or recovery code" })
  @ApiOkResponse({ type: SessionResponse, description: 'The token pair, as login gives it' })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'VALIDATION_FAILED' })
  @ApiUnauthorizedResponse({
    type: ProblemDetailsDto,
    description: 'AUTH_MFA_CODE_INVALID: a wrong, replayed or used code, or an expired or used mfaToken',
  })
  verify(@Body() body: VerifyMfaDto, @Ip() clientIp: string): Promise<SessionResponse> {
    return this.mfa.verify(body.mfaToken, body, clientIp);
  }

  @Post('disable')
  @SignedInRoute()
  @AuthRateLimited()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Turn two-factor login off (needs a current code); the user's other sessions are revoked" })
  @ApiNoContentResponse({ description: 'Two-factor is off; its secret and recovery codes are deleted' })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'AUTH_MFA_CODE_INVALID or VALIDATION_FAILED' })
  @ApiUnauthorizedResponse({ type: ProblemDetailsDto, description: 'No valid access token' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'AUTH_MFA_NOT_ENABLED' })
  disable(@CurrentUser() user: AuthenticatedUser, @Body() body: MfaCodeDto, @Ip() clientIp: string): Promise<void> {
    return this.mfa.disable(user, body.code, clientIp);
  }
}
