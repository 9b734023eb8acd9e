import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
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
