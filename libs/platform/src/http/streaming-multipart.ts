import fastifyMultipart, { type FastifyMultipartOptions } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';

/** The hooks @fastify/multipart adds for its disk mode only (cleaning the files saveRequestFiles wrote). */
const DISK_MODE_HOOKS = ['onRequest', 'onResponse'];
const DISK_MODE_METHODS = ['saveRequestFiles', 'cleanRequestFiles'];

/**
 * @fastify/multipart for streamed uploads only (`request.file()`, which `POST /v1/files`
 * pipes to storage as it arrives), without the two hooks its disk mode needs.
 *
 * The plugin adds an async onRequest hook (a `close` listener on every response) and an
 * async onResponse hook to every route of the app, to delete the temporary files
 * `saveRequestFiles()` may have written. The API never writes them, and the two hooks
 * cost every request of every route ~1 µs of CPU (docs/performance.md). Registered
 * through this wrapper, those two hooks are left out and the disk-mode methods throw, so
 * code that starts using them fails at once instead of leaking files. A release of the
 * plugin that adds other global hooks, or drops these, stops the start-up here.
 */
export const streamingMultipart = fastifyPlugin<FastifyMultipartOptions>(
  (fastify, options, done) => {
    const left: string[] = [];
    const { addHook, decorateRequest } = fastify;
    const instance = fastify as unknown as Record<'addHook' | 'decorateRequest', (...args: unknown[]) => unknown>;
    instance.addHook = function (this: FastifyInstance, name: unknown, ...rest: unknown[]) {
      if (typeof name === 'string' && DISK_MODE_HOOKS.includes(name)) {
        left.push(name);
        return this;
      }
      return (addHook as (...args: unknown[]) => unknown).call(this, name, ...rest);
    };
    instance.decorateRequest = function (this: FastifyInstance, name: unknown, value: unknown, ...rest: unknown[]) {
      const replaced = typeof name === 'string' && DISK_MODE_METHODS.includes(name) ? diskModeIsOff(name) : value;
      return (decorateRequest as (...args: unknown[]) => unknown).call(this, name, replaced, ...rest);
    };
    try {
      // Registers synchronously: it calls `done` before it returns.
      fastifyMultipart(fastify, options, (error?: Error) => {
        if (error === undefined && left.sort().join() !== [...DISK_MODE_HOOKS].sort().join()) {
          error = new Error(
            `@fastify/multipart added hooks ${left.join(', ') || 'none'}, not ${DISK_MODE_HOOKS.join(', ')}`,
          );
        }
        done(error);
      });
    } finally {
      instance.addHook = addHook as never;
      instance.decorateRequest = decorateRequest as never;
    }
  },
  { name: 'streaming-multipart', fastify: '5.x' },
);

function diskModeIsOff(name: string): () => never {
  return () => {
    throw new Error(`request.${name}() is not available: multipart uploads are streamed (streaming-multipart.ts)`);
  };
}
