import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createIsolatedDatabase } from './test-database';
import { createTestApp } from './test-app';

export type Json = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Json;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}

export interface Operation {
  operationId: string;
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, Json> };
  responses: Record<string, { description?: string; content?: Record<string, Json> }>;
}

export interface OpenApi {
  info: { title: string; description?: string };
  tags?: Array<{ name: string; description?: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json>; securitySchemes?: Json };
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** The document the API serves at /docs-json. */
export async function servedDocument(app: NestFastifyApplication): Promise<OpenApi> {
  return (await app.inject({ method: 'GET', url: '/docs-json' })).json<OpenApi>();
}

/** Every operation of the document, with its method and path (`POST /v1/orders`). */
export function operationsOf(document: OpenApi): Array<{ key: string; operation: Operation }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method]).map((method) => ({
      key: `${method.toUpperCase()} ${path}`,
      operation: item[method],
    })),
  );
}

/** A schema with its `$ref` (and a lone allOf wrapper) followed. */
export function resolve(document: OpenApi, schema: Json | undefined): Json | undefined {
  if (!schema) {
    return undefined;
  }
  if (typeof schema.$ref === 'string') {
    return resolve(document, document.components.schemas[schema.$ref.split('/').pop()!]);
  }
  const allOf = schema.allOf as Json[] | undefined;
  return allOf?.length === 1 ? resolve(document, allOf[0]) : schema;
}

/**
 * For a describe block: boots the API before its tests (with `env` for this app only; with
 * `isolatedDatabase`, on a database and Redis key prefix of its own, e.g. for the demo data,
 * which must not land among other specs' rows), reads the document it serves, and closes
 * the app after them.
 */
export function withServedDocument(options: { env?: Record<string, string>; isolatedDatabase?: string } = {}): {
  app: () => NestFastifyApplication;
  document: () => OpenApi;
} {
  let app: NestFastifyApplication;
  let document: OpenApi;
  let database: { drop(): Promise<void> } | undefined;
  beforeAll(async () => {
    const env = { ...options.env };
    if (options.isolatedDatabase) {
      const isolated = await createIsolatedDatabase(options.isolatedDatabase);
      database = isolated;
      env.DATABASE_URL = isolated.url;
      env.REDIS_KEY_PREFIX = `${process.env.REDIS_KEY_PREFIX}-${options.isolatedDatabase}`;
    }
    app = await createTestApp(env);
    document = await servedDocument(app);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });
  return { app: () => app, document: () => document };
}
