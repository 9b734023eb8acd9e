import { IS_PUBLIC_KEY } from '@app/platform';
import type { ProblemThrottlerGuard } from '@app/platform';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { JwtAuthGuard } from './jwt-auth.guard';
import { RequestAccessGuard } from './request-access.guard';
import type { RolesGuard } from './roles.guard';
import type { VerifiedEmailGuard } from './verified-email.guard';

class Routes {
  open(): void {}
  catalog(): void {}
  member(): void {}
  admin(): void {}
}
Reflect.defineMetadata(IS_PUBLIC_KEY, true, Routes.prototype.open);
Reflect.defineMetadata(IS_PUBLIC_KEY, true, Routes.prototype.catalog);

const contextOf = (handler: () => void) =>
  ({ getHandler: () => handler, getClass: () => Routes }) as unknown as ExecutionContext;

describe('RequestAccessGuard (the one global guard)', () => {
  const calls: string[] = [];
  let answers: Record<string, boolean>;
  const check = (name: string) => ({ canActivate: () => (calls.push(name), Promise.resolve(answers[name])) });
  // The general limit is counted in this process: its check answers without a promise.
  const throttle = {
    check: () => (calls.push('throttle'), answers.throttle),
    appliesTo: (context: ExecutionContext) => context.getHandler() !== Routes.prototype.open,
  };
  const guard = new RequestAccessGuard(
    new Reflector(),
    throttle as unknown as ProblemThrottlerGuard,
    check('authenticate') as unknown as JwtAuthGuard,
    {
      canActivate: () => (calls.push('authorize'), answers.authorize),
      appliesTo: (context: ExecutionContext) => context.getHandler() === Routes.prototype.admin,
    } as unknown as RolesGuard,
    { appliesTo: () => false, canActivate: () => true } as unknown as VerifiedEmailGuard,
  );

  beforeEach(() => {
    calls.length = 0;
    answers = { throttle: true, authenticate: true, authorize: true };
  });

  it('passes a public, unthrottled route at once, without a promise', () => {
    expect(guard.canActivate(contextOf(Routes.prototype.open))).toBe(true);
    expect(calls).toEqual([]);
  });

  it('passes a public, throttled route after the count, without a promise', () => {
    expect(guard.canActivate(contextOf(Routes.prototype.catalog))).toBe(true);
    expect(calls).toEqual(['throttle']);
  });

  it('runs only what the handler needs, in order: rate limit, token, roles', async () => {
    await expect(guard.canActivate(contextOf(Routes.prototype.member))).resolves.toBe(true);
    expect(calls).toEqual(['throttle', 'authenticate']);
    calls.length = 0;
    await expect(guard.canActivate(contextOf(Routes.prototype.admin))).resolves.toBe(true);
    expect(calls).toEqual(['throttle', 'authenticate', 'authorize']);
  });

  it('stops at the first check that denies', async () => {
    answers.authenticate = false;
    await expect(guard.canActivate(contextOf(Routes.prototype.admin))).resolves.toBe(false);
    expect(calls).toEqual(['throttle', 'authenticate']);
  });
});
