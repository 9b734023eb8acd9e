import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler/dist/throttler.guard.interface';
import { AuthError, AuthErrorCode } from '../auth.errors';

/** The throttler, answering with a problem+json 429 and a standard Retry-After header. */
@Injectable()
export class ProblemThrottlerGuard extends ThrottlerGuard {
  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new AuthError(AuthErrorCode.RateLimited, 'Too many requests; slow down.', detail.timeToBlockExpire);
  }
}
