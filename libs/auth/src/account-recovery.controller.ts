import { AuthenticatedUser, CurrentUser, ProblemDetailsDto, Public, SignedInRoute } from '@app/platform';
import { Body, Controller, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { AccountRecoveryService } from './account-recovery.service';
import { PasswordResetConfirmDto, PasswordResetRequestDto, VerifyEmailDto } from './dto/account-token.dto';
import { AuthRateLimited } from './throttling/auth-throttle';

const TOKEN_REFUSED = 'VALIDATION_FAILED, or AUTH_TOKEN_INVALID_OR_USED (unknown, used or expired token)';

/**
 * Email verification and password reset. Every route is under auth's per-address limit;
 * those that send an email are also counted per account and address, and invalid tokens
 * per address (CredentialFailureThrottle).
 */
@ApiTags('auth')
@ApiTooManyRequestsResponse({
  type: ProblemDetailsDto,
  description:
    'RATE_LIMITED, or AUTH_TOO_MANY_ATTEMPTS (too many emails for the account, or invalid tokens from the address); see Retry-After',
})
@Controller('auth')
export class AccountRecoveryController {
  constructor(private readonly recovery: AccountRecoveryService) {}

  @Public()
  @AuthRateLimited()
  @Post('verify-email')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Verify the email address with the token of the verification email' })
  @ApiNoContentResponse({ description: 'The email address is verified' })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: TOKEN_REFUSED })
  verifyEmail(@Body() body: VerifyEmailDto, @Ip() clientIp: string): Promise<void> {
    return this.recovery.verifyEmail(body.token, clientIp);
  }

  @Post('verify-email/resend')
  @SignedInRoute()
  @AuthRateLimited()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a new verification email to the caller (none if already verified)' })
  @ApiAcceptedResponse({ description: 'The email is on its way' })
  resendVerification(@CurrentUser() user: AuthenticatedUser, @Ip() clientIp: string): Promise<void> {
    return this.recovery.resendVerification(user, clientIp);
  }

  @Public()
  @AuthRateLimited()
  @Post('password-reset')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Email a password-reset link, if an account has this address (same answer either way)' })
  @ApiAcceptedResponse({ description: 'Accepted; an account with this address gets an email' })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'VALIDATION_FAILED' })
  requestPasswordReset(@Body() body: PasswordResetRequestDto, @Ip() clientIp: string): Promise<void> {
    return this.recovery.requestPasswordReset(body.email, clientIp);
  }

  @Public()
  @AuthRateLimited()
  @Post('password-reset/confirm')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Set a new password with the token of the reset email; every session ends' })
  @ApiNoContentResponse({ description: 'The password is changed and every session of the user has ended' })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: `${TOKEN_REFUSED}, or PASSWORD_TOO_WEAK` })
  confirmPasswordReset(@Body() body: PasswordResetConfirmDto, @Ip() clientIp: string): Promise<void> {
    return this.recovery.confirmPasswordReset(body.token, body.newPassword, clientIp);
  }
}
