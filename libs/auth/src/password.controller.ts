import { AuthenticatedUser, CurrentUser, ProblemDetailsDto, SignedInRoute } from '@app/platform';
import { Body, Controller, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AuthService } from './auth.service';
import { ChangePasswordDto } from './dto/change-password.dto';
import { AuthRateLimited } from './throttling/auth-throttle';

/** Lives in the auth lib (not users) because it verifies passwords and revokes sessions. */
@ApiTags('users')
@SignedInRoute()
@Controller('users/me/password')
export class PasswordController {
  constructor(private readonly auth: AuthService) {}

  @Post()
  @AuthRateLimited()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Change the caller's password; the user's other sessions are revoked" })
  @ApiNoContentResponse()
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: 'AUTH_CURRENT_PASSWORD_WRONG' })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description: 'VALIDATION_FAILED or PASSWORD_TOO_WEAK (the reasons in errors[])',
  })
  @ApiTooManyRequestsResponse({
    type: ProblemDetailsDto,
    description:
      'AUTH_TOO_MANY_ATTEMPTS after repeated wrong current passwords, or RATE_LIMITED (the auth limit per minute); see Retry-After',
  })
  change(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: ChangePasswordDto,
    @Ip() clientIp: string,
  ): Promise<void> {
    return this.auth.changePassword(user, body, clientIp);
  }
}
