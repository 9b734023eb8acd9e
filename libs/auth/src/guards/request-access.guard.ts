import { IS_PUBLIC_KEY, perHandler, ProblemThrottlerGuard } from '@app/platform';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtAuthGuard } from './jwt-auth.guard';
import { RolesGuard } from './roles.guard';
import { VerifiedEmailGuard } from './verified-email.guard';

/** Which of the checks a handler needs, read from its decorators once. */
interface AccessPlan {
  throttled: boolean;
  authenticated: boolean;
  roles: boolean;
  verifiedEmail: boolean;
}

/**
 * The one global guard: the rate limit, then the bearer token, then the roles, in that
 * order, each only where the handler needs it. One guard instead of three global ones
 * saves Nest's per-guard work (an execution context and an await each) on every
 * request, and a public route answers without a promise at all: at once when it is
 * unthrottled (the health probes), after the in-process count of the general limit
 * otherwise (the catalog reads). The three checks stay separate classes with one job each.
 */
@Injectable()
export class RequestAccessGuard implements CanActivate {
  private readonly planFor = perHandler((context): AccessPlan => ({
    throttled: this.throttle.appliesTo(context),
    authenticated:
      this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]) !== true,
    roles: this.authorize.appliesTo(context),
    verifiedEmail: this.verifiedEmail.appliesTo(context),
  }));

  constructor(
    private readonly reflector: Reflector,
    private readonly throttle: ProblemThrottlerGuard,
    private readonly authenticate: JwtAuthGuard,
    private readonly authorize: RolesGuard,
    private readonly verifiedEmail: VerifiedEmailGuard,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const plan = this.planFor(context);
    if (!plan.authenticated) {
      return plan.throttled ? this.throttle.check(context) : true;
    }
    return this.check(context, plan);
  }

  /** Each check throws its own problem; a check that answers `false` denies too (Nest's 403). */
  private async check(context: ExecutionContext, plan: AccessPlan): Promise<boolean> {
    if (plan.throttled && !(await this.throttle.check(context))) {
      return false;
    }
    if (plan.authenticated && !(await this.authenticate.canActivate(context))) {
      return false;
    }
    if (plan.roles && !this.authorize.canActivate(context)) {
      return false;
    }
    return plan.verifiedEmail ? this.verifiedEmail.canActivate(context) : true;
  }
}
