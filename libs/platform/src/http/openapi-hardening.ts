import type { OpenAPIObject } from '@nestjs/swagger';
import { UNAUTHENTICATED_DESCRIPTION } from '../auth/route-access.decorators';
import { OPENAPI_OPERATION_METHODS } from './openapi-methods';

type Json = Record<string, unknown>;

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetailsDto' } } };
const INT = { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 };
/** The throttler's headers, on every answer of a throttled route (see libs/platform/src/throttling). */
const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': { description: 'Requests allowed in the window', schema: INT },
  'X-RateLimit-Remaining': { description: 'Requests left in the window', schema: INT },
  'X-RateLimit-Reset': { description: 'Seconds until the window resets', schema: INT },
};

const CORS_HEADER = {
  'Access-Control-Allow-Origin': {
    description: 'Present when the Origin is one of CORS_ORIGINS',
    schema: { type: 'string', maxLength: 2048, format: 'uri' },
  },
};

/**
 * Limits and facts the OpenAPI document must state (the OWASP API Security ruleset checks
 * them in `npm test`, test/contract/openapi-lint.e2e-spec.ts) that the Swagger plugin
 * cannot infer from the DTOs: documented here once instead of on every class.
 *
 * - Strings by format: a UUID is 36 characters, an ISO date-time at most 30, an email at
 *   most 254 (the validators accept nothing longer). Response text without a limit of its
 *   own gets 10,000: every text the API returns was validated on the way in to at most 2,000
 *   characters, or is made by the API itself (messages, tokens, cursors), far shorter.
 * - Arrays: a page holds at most 100 items (the `limit` maximum); every other array the API
 *   returns is at most 1,000 long (order lines <= 50, roles <= 2, warehouses are listed up
 *   to 1,000).
 * - Integers without a format are 64-bit safe integers.
 * - Answers carry Access-Control-Allow-Origin for the origins in CORS_ORIGINS.
 * - Every route but /health is rate limited: 429 with Retry-After, and the X-RateLimit
 *   headers on its answers; protected routes document 401; all document 500.
 * - Path parameters are UUIDs (the `IdParams` DTOs validate them).
 * - Each operation names a security requirement once.
 */
export function hardenOpenApiDocument(document: OpenAPIObject): void {
  const tags = new Set<string>();
  for (const item of Object.values(document.paths)) {
    for (const method of OPENAPI_OPERATION_METHODS) {
      for (const tag of ((item as Json)[method] as { tags?: string[] } | undefined)?.tags ?? []) {
        tags.add(tag);
      }
    }
  }
  document.tags = [...tags].sort().map((name) => ({ name }));
  document.servers = [
    {
      url: '/',
      description: 'The server this document is served by (local, staging or production)',
      'x-internal': false,
    } as never,
  ];
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    limitSchema(
      schema as Json,
      name.endsWith('Response') || name === 'ProblemDetailsDto' || name === 'FieldErrorDto',
      name.endsWith('PageResponse'),
    );
  }
  for (const [path, item] of Object.entries(document.paths)) {
    const throttled = !path.startsWith('/health');
    for (const method of OPENAPI_OPERATION_METHODS) {
      const operation = (item as Json)[method] as Json | undefined;
      if (!operation) {
        continue;
      }
      const parameters = (operation.parameters ?? []) as Json[];
      for (const match of path.matchAll(/\{([^{}]+)\}/g)) {
        if (!parameters.some((parameter) => parameter.in === 'path' && parameter.name === match[1])) {
          parameters.push({
            name: match[1],
            in: 'path',
            required: true,
            schema: { type: 'string', format: 'uuid', maxLength: 36 },
          });
        }
      }
      for (const parameter of parameters) {
        limitSchema(parameter.schema as Json | undefined, false, false);
      }
      operation.parameters = parameters;
      for (const response of Object.values(operation.responses as Record<string, Json>)) {
        for (const media of Object.values((response.content as Record<string, Json> | undefined) ?? {})) {
          limitSchema(media.schema as Json | undefined, true, false);
        }
      }
      const requestSchema = (
        (operation.requestBody as Json | undefined)?.content as Record<string, Json> | undefined
      )?.['multipart/form-data']?.schema;
      limitSchema(requestSchema as Json | undefined, false, false);

      const responses = operation.responses as Record<string, Json>;
      // A class-level @SignedInRoute() and a method-level @AdminRoute() both name the bearer
      // scheme; the Swagger explorer concatenates them, and OpenAPI requires unique items.
      if (Array.isArray(operation.security)) {
        const unique = new Map(
          (operation.security as unknown[]).map((requirement) => [JSON.stringify(requirement), requirement]),
        );
        operation.security = [...unique.values()];
      }
      if ((operation.security as unknown[] | undefined)?.length) {
        responses['401'] ??= {
          description: UNAUTHENTICATED_DESCRIPTION,
          content: PROBLEM,
        };
      }
      responses['500'] ??= {
        description: 'INTERNAL_ERROR: an unexpected error (quote the requestId)',
        content: PROBLEM,
      };
      if (throttled) {
        responses['429'] ??= { description: 'RATE_LIMITED: too many requests', content: PROBLEM };
      }
      for (const [status, response] of Object.entries(responses)) {
        const rateLimit = throttled && /^[234]/.test(status) ? RATE_LIMIT_HEADERS : {};
        const retryAfter =
          throttled && status === '429' ? { 'Retry-After': { description: 'Seconds to wait', schema: INT } } : {};
        response.headers = { ...CORS_HEADER, ...rateLimit, ...retryAfter, ...(response.headers ?? {}) };
      }
    }
  }
}

function limitSchema(schema: Json | undefined, isResponse: boolean, isPage: boolean): void {
  if (!schema || typeof schema !== 'object') {
    return;
  }
  if (
    schema.type === 'string' &&
    schema.maxLength === undefined &&
    schema.enum === undefined &&
    schema.const === undefined
  ) {
    const byFormat: Record<string, number> = { uuid: 36, 'date-time': 30, date: 10, email: 254 };
    const format = schema.format as string | undefined;
    if (format && byFormat[format] !== undefined) {
      schema.maxLength = byFormat[format];
    } else if (format === 'binary') {
      schema.maxLength = 1024 ** 3; // FILES_MAX_BYTES default; larger uploads are refused with 413
    } else if (isResponse) {
      schema.maxLength = 10_000;
    }
  }
  if (schema.type === 'array' && schema.maxItems === undefined) {
    schema.maxItems = isPage ? 100 : 1_000;
  }
  if (schema.type === 'integer' && schema.format === undefined) {
    schema.format = 'int64';
    schema.minimum ??= Number.MIN_SAFE_INTEGER;
    schema.maximum ??= Number.MAX_SAFE_INTEGER;
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    if (schema[key] && typeof schema[key] === 'object') {
      limitSchema(schema[key] as Json, isResponse, false);
    }
  }
  for (const property of Object.values((schema.properties as Record<string, Json> | undefined) ?? {})) {
    limitSchema(property, isResponse, isPage);
  }
}
