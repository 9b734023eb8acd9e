import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { OpenAPIObject } from '@nestjs/swagger';
import { OPENAPI_OPERATION_METHODS } from './openapi-methods';

type Json = Record<string, unknown>;

/**
 * What the document says in words that no route or DTO carries: the introduction (how to
 * log in and authorize in the Swagger UI) and each tag's description. The API app gives
 * them (it knows the features; the platform does not).
 */
export interface OpenApiText {
  /** The document's description, Markdown, shown at the top of the Swagger UI. */
  intro: string;
  /** Tag name -> description; a tag without one fails test/contract/openapi-descriptions.e2e-spec.ts. */
  tags: Readonly<Record<string, string>>;
}

/**
 * The words of the document: intro, tag descriptions, a description on every response
 * (the Swagger plugin leaves `""` where a decorator gave none: the status's name and the
 * body's schema then), and a fresh UUID as the example of each `Idempotency-Key` header,
 * so "Try it out" sends a usable key (a new one each time the document is built).
 */
export function describeOpenApiDocument(document: OpenAPIObject, text: OpenApiText | undefined): void {
  if (text) {
    document.info.description = text.intro;
  }
  document.tags = (document.tags ?? []).map((tag) => ({
    ...tag,
    ...(text?.tags[tag.name] ? { description: text.tags[tag.name] } : {}),
  }));
  for (const item of Object.values(document.paths)) {
    for (const method of OPENAPI_OPERATION_METHODS) {
      const operation = (item as Json)[method] as Json | undefined;
      if (!operation) {
        continue;
      }
      for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
        if (!response.description) {
          response.description = defaultDescription(status, response);
        }
      }
      for (const parameter of (operation.parameters ?? []) as Json[]) {
        if (parameter.in === 'header' && String(parameter.name).toLowerCase() === 'idempotency-key') {
          parameter.example = randomUUID();
        }
      }
    }
  }
}

/** `OK: ProductResponse`, `No Content`: the status's name and, if any, what the body is. */
function defaultDescription(status: string, response: Json): string {
  const name = STATUS_CODES[Number(status)] ?? status;
  const schema = Object.values((response.content ?? {}) as Record<string, Json>)[0]?.schema as Json | undefined;
  const ref = (schema?.$ref ?? (schema?.items as Json | undefined)?.$ref) as string | undefined;
  if (!ref) {
    return name;
  }
  const model = ref.split('/').pop()!;
  return schema?.type === 'array' ? `${name}: an array of ${model}` : `${name}: ${model}`;
}

/**
 * What `@Idempotent()` adds to a route's errors, named on every route that takes the
 * `Idempotency-Key` header (so the Swagger UI shows their examples too): a bad or missing
 * key is a 400, the key still in progress a 409, the key reused with another body a 422.
 * Runs before the hardening, which gives every response its headers.
 */
export function describeIdempotencyErrors(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const method of OPENAPI_OPERATION_METHODS) {
      const operation = (item as Json)[method] as Json | undefined;
      const header = ((operation?.parameters ?? []) as Json[]).find(
        (parameter) => parameter.in === 'header' && String(parameter.name).toLowerCase() === 'idempotency-key',
      );
      if (!operation || !header) {
        continue;
      }
      const responses = operation.responses as Record<string, Json>;
      const badKey = header.required
        ? 'IDEMPOTENCY_KEY_REQUIRED (no Idempotency-Key) or IDEMPOTENCY_KEY_INVALID'
        : 'IDEMPOTENCY_KEY_INVALID';
      nameCode(responses, '400', 'IDEMPOTENCY_KEY_INVALID', badKey);
      nameCode(
        responses,
        '409',
        'IDEMPOTENCY_IN_PROGRESS',
        'IDEMPOTENCY_IN_PROGRESS: the same key is still being processed',
      );
      nameCode(
        responses,
        '422',
        'IDEMPOTENCY_KEY_REUSED',
        'IDEMPOTENCY_KEY_REUSED: the key was used with another request',
      );
    }
  }
}

/** Adds `text` to the response's description unless it names `code` already (or creates the response). */
function nameCode(responses: Record<string, Json>, status: string, code: string, text: string): void {
  const response = (responses[status] ??= { description: '' });
  const description = (response.description as string | undefined) ?? '';
  if (!description.includes(code)) {
    response.description = description ? `${description}; ${text}` : text;
  }
}
