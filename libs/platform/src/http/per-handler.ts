import type { ExecutionContext } from '@nestjs/common';

/**
 * A value read from a route handler's decorators, computed at the handler's first request
 * and kept: route metadata does not change after start, and reading it (reflect-metadata
 * lookups on the handler and its class) on every request is measurable on the hot path.
 * `read` must not answer `undefined`.
 */
export function perHandler<T>(read: (context: ExecutionContext) => T): (context: ExecutionContext) => T {
  const values = new WeakMap<object, T>();
  return (context) => {
    const handler = context.getHandler();
    let value = values.get(handler);
    if (value === undefined) {
      value = read(context);
      values.set(handler, value);
    }
    return value;
  };
}
