import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { defer, from, lastValueFrom, Observable } from 'rxjs';
import { IdempotencyService } from './idempotency.service';
import { IDEMPOTENT_KEY, IdempotentOptions } from './idempotency.metadata';

interface RequestWithUser extends FastifyRequest {
  user?: { id?: string };
}

/**
 * Applied only to routes marked @Idempotent (never globally, to keep the hot paths
 * free of it). The key is scoped to the authenticated caller.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly idempotency: IdempotencyService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.getAllAndOverride<IdempotentOptions | undefined>(IDEMPOTENT_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const http = context.switchToHttp();
    const request = http.getRequest<RequestWithUser>();
    const reply = http.getResponse<FastifyReply>();
    const header = request.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    const scope = request.user?.id ?? 'anonymous';
    const route = `${request.method} ${request.routeOptions.url ?? request.url}`;

    return defer(() =>
      from(
        (async () => {
          const decision = await this.idempotency.begin(scope, key, options?.required ?? false, {
            route,
            params: request.params,
            body: request.body,
          });
          if (!decision) {
            return lastValueFrom<unknown, undefined>(next.handle(), { defaultValue: undefined });
          }
          if (decision.kind === 'replay') {
            void reply.status(decision.status).header('idempotent-replayed', 'true');
            return decision.body;
          }
          try {
            const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
            await this.idempotency.complete(scope, key!, reply.statusCode, body);
            return body;
          } catch (error) {
            await this.idempotency.abort(scope, key!).catch(() => undefined);
            throw error;
          }
        })(),
      ),
    );
  }
}
