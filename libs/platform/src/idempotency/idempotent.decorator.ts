import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IDEMPOTENT_KEY, IdempotentOptions } from './idempotency.metadata';

/**
 * Makes a route honour `Idempotency-Key` (scoped to the caller, kept 24 h): replays
 * the first response for a repeated request, 422 for the key reused with another
 * body, 409 while the first is still running.
 */
export function Idempotent(options: IdempotentOptions = { required: false }): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(IDEMPOTENT_KEY, options),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: options.required,
      description: 'Unique key (1..255 chars) making retries of this request safe; kept 24 h per caller.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    }),
  );
}

/**
 * The request's `Idempotency-Key` as a handler parameter, for services that record
 * it (an order remembers its key). A custom decorator rather than
 * `@Headers('idempotency-key')`, which Swagger would document a second time beside
 * the header `@Idempotent` already describes.
 */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  const header = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>()
    .headers['idempotency-key'];
  return Array.isArray(header) ? header[0] : header;
});
