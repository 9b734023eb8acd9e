import { AuthenticatedUser, CurrentUser, ProblemDetailsDto, Public, SignedInRoute } from '@app/platform';
import { Body, Controller, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { MfaChallengeResponse } from './mfa/dto/mfa.responses';
import { RefreshTokenDto } from './dto/refresh-token.dto';
import { RegisterDto } from './dto/register.dto';
import { SessionResponse, TokenPairResponse } from './dto/token-pair.response';
import { AuthRateLimited } from './throttling/auth-throttle';

@ApiTags('auth')
@ApiTooManyRequestsResponse({
  type: ProblemDetailsDto,
  description: 'RATE_LIMITED (the auth limit per minute); see Retry-After',
})
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @AuthRateLimited()
  @Post('register')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a customer account and start a session' })
  @ApiCreatedResponse({ type: SessionResponse })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'USER_EMAIL_TAKEN' })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description: 'VALIDATION_FAILED or PASSWORD_TOO_WEAK (the reasons in errors[])',
  })
  register(@Body() body: RegisterDto): Promise<SessionResponse> {
    return this.auth.register(body);
  }

  @Public()
  @AuthRateLimited()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Log in with email and password' })
  @ApiExtraModels(MfaChallengeResponse)
  @ApiOkResponse({
    description: 'The token pair, or for a user with two-factor on an mfaToken for POST /v1/auth/2fa/verify',
    schema: { oneOf: [{ $ref: getSchemaPath(SessionResponse) }, { $ref: getSchemaPath(MfaChallengeResponse) }] },
  })
  @ApiUnauthorizedResponse({ type: ProblemDetailsDto, description: 'AUTH_INVALID_CREDENTIALS' })
  // The address Fastify computed (TRUST_PROXY decides whether X-Forwarded-For counts).
  login(@Body() body: LoginDto, @Ip() clientIp: string): Promise<SessionResponse | MfaChallengeResponse> {
    return this.auth.login(body, clientIp);
  }

  @Public()
  @AuthRateLimited()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange a refresh token for a new pair (the old one stops working)' })
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiUnauthorizedResponse({ type: ProblemDetailsDto, description: 'AUTH_REFRESH_INVALID or AUTH_REFRESH_REUSED' })
  refresh(@Body() body: RefreshTokenDto): Promise<TokenPairResponse> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @SignedInRoute()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End the session this refresh token belongs to' })
  @ApiNoContentResponse()
  @ApiUnauthorizedResponse({ type: ProblemDetailsDto })
  logout(@CurrentUser() user: AuthenticatedUser, @Body() body: RefreshTokenDto): Promise<void> {
    return this.auth.logout(user, body.refreshToken);
  }

  @Post('logout-all')
  @SignedInRoute()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End every session of the caller' })
  @ApiNoContentResponse()
  @ApiUnauthorizedResponse({ type: ProblemDetailsDto })
  logoutAll(@CurrentUser() user: AuthenticatedUser): Promise<void> {
    return this.auth.logoutAll(user);
  }
}
