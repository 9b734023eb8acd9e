import fastifyCompress from '@fastify/compress';
import { VersioningType } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app.config';
import { NestLogger } from '../logging/nest-logger';
import { ROOT_LOGGER } from '../logging/root-logger';
import { MetricsService } from '../metrics/metrics.service';
import { BROTLI_OPTIONS, COMPRESSION_ENCODINGS, COMPRESSION_THRESHOLD_BYTES } from './compression';
import { installExpectContinue } from './expect-continue';
import { installJsonBodyParser } from './json-body-parser';
import { installLingeringClose } from './lingering-close';
import { installMethodNotAllowed } from './method-not-allowed';
import type { RequestObservation } from './request-observation';
import { installSecurityHeaders } from './security-headers';
import { streamingMultipart } from './streaming-multipart';
import type { OpenApiText } from './openapi-descriptions';
import { setupSwagger } from './swagger';

export const EXPOSED_HEADERS = [
  'X-Request-Id',
  'X-Cache',
  'ETag',
  'Retry-After',
  'Idempotent-Replayed',
  'Location',
  'Allow',
];

/**
 * The API's request pipeline, applied in one place so main.ts and the test-app
 * factory run exactly the same stack.
 */
export async function configureHttpApp(
  app: NestFastifyApplication,
  config: AppConfig,
  options: { observation: RequestObservation; openApiText?: OpenApiText },
): Promise<void> {
  app.useLogger(app.get(NestLogger));
  const fastify = app.getHttpAdapter().getInstance();
  installLingeringClose(fastify);
  installMethodNotAllowed(fastify);
  installJsonBodyParser(app);

  // Routes marked @RouteConfig({ compress: false }) (file downloads, the liveness probe,
  // @CachedResponse routes, which compress their cached bodies themselves) opt out of
  // compression; @fastify/compress reads that from the route's own options, so the
  // flag is copied there before the plugin sees the route.
  fastify.addHook('onRoute', (route) => {
    if ((route.config as { compress?: unknown } | undefined)?.compress === false) {
      (route as { compress?: boolean }).compress = false;
    }
  });
  await app.register(streamingMultipart, { limits: { files: 1, fields: 10, fieldSize: 1024, parts: 12 } });
  installExpectContinue(fastify.server);
  await app.register(fastifyCompress, {
    global: true,
    threshold: COMPRESSION_THRESHOLD_BYTES,
    // The plugin's default types plus NDJSON (application/x-ndjson), which mime-db does not mark compressible.
    customTypes:
      /^text\/(?!event-stream)|(?:\+|\/)(?:x-nd)?json(?:;|$)|(?:\+|\/)text(?:;|$)|(?:\+|\/)xml(?:;|$)|octet-stream(?:;|$)/u,
    encodings: [...COMPRESSION_ENCODINGS],
    brotliOptions: BROTLI_OPTIONS,
    // Request bodies are never compressed (JSON under BODY_LIMIT_BYTES, files as
    // multipart): no decompression hook on every route.
    globalDecompression: false,
  });
  installSecurityHeaders(fastify, {
    htmlPathPrefix: '/docs',
    html: {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // The Swagger UI at /docs needs inline styles and its init script.
          scriptSrc: ["'self'", "'unsafe-inline'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
        },
      },
    },
  });
  // CORS only when origins are configured: without them no browser origin is allowed,
  // and no CORS hook runs on every request (a preflight then gets the 405 of OPTIONS).
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: config.corsOrigins, exposedHeaders: EXPOSED_HEADERS, maxAge: 600 });
  }
  options.observation.observeWith(app.get<Logger>(ROOT_LOGGER), app.get(MetricsService));

  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  if (config.swaggerEnabled) {
    setupSwagger(app, options.openApiText);
  }
}
