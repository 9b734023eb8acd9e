import type { OpenAPIObject } from '@nestjs/swagger';
import { OPENAPI_OPERATION_METHODS } from './openapi-methods';

/** The extension `@CachedResponse` puts on its operation, read and removed here. */
export const CACHED_RESPONSE_EXTENSION = 'x-cached-response';

type Json = Record<string, unknown>;

const ETAG = {
  description: "The representation's validator: send it back in If-None-Match to get a 304 while it is current",
  schema: { type: 'string', maxLength: 200 },
};
const CACHE_CONTROL = {
  description: 'public, max-age=0, must-revalidate: keep a copy, but revalidate it on every use',
  schema: { type: 'string', maxLength: 100 },
};
const X_CACHE = {
  description: 'HIT when the server answered from its cache, MISS when it loaded the data',
  schema: { type: 'string', enum: ['HIT', 'MISS'] },
};
const ANSWER_HEADERS = {
  ETag: ETAG,
  'Cache-Control': CACHE_CONTROL,
  'X-Cache': X_CACHE,
  Vary: {
    description: 'accept-encoding when the body may come compressed (1 KB or more)',
    schema: { type: 'string', maxLength: 200 },
  },
  'Content-Encoding': {
    description: 'br, gzip or deflate when Accept-Encoding asked for one and the body is 1 KB or more',
    schema: { type: 'string', enum: ['br', 'gzip', 'deflate'] },
  },
};

/**
 * What a `@CachedResponse` route answers beyond its DTO, which the Swagger plugin cannot see
 * (the decorator sends the reply itself): the validators and cache headers on its 200, a 304
 * for a current If-None-Match, and the If-None-Match parameter. Stated once here for every
 * cached route (response-cache.ts sends them).
 */
export function describeCachedResponses(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const method of OPENAPI_OPERATION_METHODS) {
      const operation = (item as Json)[method] as Json | undefined;
      if (!operation?.[CACHED_RESPONSE_EXTENSION]) {
        continue;
      }
      delete operation[CACHED_RESPONSE_EXTENSION];
      const parameters = (operation.parameters ?? []) as Json[];
      parameters.push({
        name: 'If-None-Match',
        in: 'header',
        required: false,
        description: 'The ETag of a copy the client holds: 304 with no body while it is current',
        schema: { type: 'string', maxLength: 2048 },
      });
      operation.parameters = parameters;
      const responses = operation.responses as Record<string, Json>;
      for (const [status, response] of Object.entries(responses)) {
        if (status.startsWith('2')) {
          response.headers = { ...(response.headers ?? {}), ...ANSWER_HEADERS };
        }
      }
      responses['304'] = {
        description: responses['304']?.description ?? 'Not Modified: the If-None-Match ETag is current; no body',
        headers: { ETag: ETAG, 'Cache-Control': CACHE_CONTROL, 'X-Cache': X_CACHE },
      };
    }
  }
}
