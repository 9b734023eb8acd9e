import { STATUS_CODES } from 'node:http';
import type { OpenAPIObject } from '@nestjs/swagger';
import { definedErrorKinds } from '../errors/define-errors';
// The platform's own tables, loaded here so that their codes are known whatever else is
// loaded (the features' tables load with the features).
import '../errors/platform-error';
import '../idempotency/idempotency.errors';
import { statusForErrorKind } from './error-kind-status';
import { defaultCodeForStatus, ProblemDetails, problemTypeFor } from './problem-details';
import { OPENAPI_OPERATION_METHODS } from './openapi-methods';

type Json = Record<string, unknown>;

const PROBLEM_MEDIA = 'application/problem+json';
const PROBLEM_REF = { $ref: '#/components/schemas/ProblemDetailsDto' };
/** An UPPER_SNAKE word with at least one underscore: how a description names a code. */
const CODE_PATTERN = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;
/** A fixed UUIDv7, so the document (and docs/api.md) is the same on every build. */
export const EXAMPLE_REQUEST_ID = '0192f5e4-7c1a-7cc2-9a51-0d4b2c1e9f00';
/** Statuses the HTTP layer answers itself with `defaultCodeForStatus` (no defineErrors table). */
const HTTP_LAYER_STATUSES = [400, 401, 403, 404, 405, 406, 408, 409, 411, 413, 414, 415, 416, 422, 429, 431, 500, 503];
/** The example of a `4XX` / `5XX` range response: an answer any route can give. */
const RANGE_EXAMPLES: Record<string, string> = { '4XX': 'METHOD_NOT_ALLOWED', '5XX': 'DEPENDENCY_UNAVAILABLE' };

/**
 * Every error code the API can answer with, and its status: the features' defineErrors()
 * tables (their kind mapped the way responses map it) and the codes of the HTTP layer.
 */
export function knownErrorCodes(): Map<string, number> {
  const known = new Map<string, number>(
    HTTP_LAYER_STATUSES.map((status) => [defaultCodeForStatus(status), status] as const),
  );
  for (const [code, status] of [
    ['MALFORMED_JSON', 400],
    ['MALFORMED_REQUEST', 400],
    ['INTERNAL_ERROR', 500],
  ] as const) {
    known.set(code, status);
  }
  for (const [code, kind] of definedErrorKinds()) {
    known.set(code, statusForErrorKind(kind));
  }
  return known;
}

/** The codes a response's description names that really answer with that status. */
export function codesNamedIn(description: string | undefined, status: number, known: Map<string, number>): string[] {
  const codes = (description ?? '').match(CODE_PATTERN) ?? [];
  return [...new Set(codes)].filter((code) => known.get(code) === status);
}

/**
 * Gives each error response of the document examples of its own problem+json, one per
 * code its description names (`404` of an order: ORDER_NOT_FOUND; `401`: the AUTH_ codes),
 * so the Swagger UI no longer shows the same 400 VALIDATION_FAILED body under every status.
 * A description naming no code gets the status's default code. Each response gets its own
 * content object: several responses shared one before.
 */
export function addProblemExamples(document: OpenAPIObject): void {
  const known = knownErrorCodes();
  const schemas = (document.components?.schemas ?? {}) as Record<string, Json>;
  for (const item of Object.values(document.paths)) {
    for (const method of OPENAPI_OPERATION_METHODS) {
      const operation = (item as Json)[method] as Json | undefined;
      for (const [status, response] of Object.entries((operation?.responses ?? {}) as Record<string, Json>)) {
        const numeric = Number(status);
        if (!(numeric >= 400 || status in RANGE_EXAMPLES)) {
          continue;
        }
        const codes =
          status in RANGE_EXAMPLES
            ? [RANGE_EXAMPLES[status]]
            : codesNamedIn(response.description as string | undefined, numeric, known);
        const examples = Object.fromEntries(
          (codes.length > 0 ? codes : [defaultCodeForStatus(numeric)]).map((code) => [
            code,
            {
              summary: code,
              value: exampleProblem(code, known.get(code) ?? numeric, response, firstInputName(operation!, schemas)),
            },
          ]),
        );
        response.content = { [PROBLEM_MEDIA]: { schema: PROBLEM_REF, examples } };
      }
    }
  }
}

function exampleProblem(code: string, status: number, response: Json, field: string): ProblemDetails {
  const problem: ProblemDetails = {
    type: problemTypeFor(code),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail: detailFor(code, response.description as string | undefined),
    code,
    requestId: EXAMPLE_REQUEST_ID,
  };
  if (code === 'VALIDATION_FAILED') {
    problem.errors = [{ field, message: `${field} is invalid` }];
  }
  return problem;
}

/** The description's own words about the code (`CODE: why`), else the code in words. */
function detailFor(code: string, description: string | undefined): string {
  const explained = description?.match(new RegExp(`\\b${code}\\b:\\s*([^;]+)`))?.[1]?.trim();
  if (explained) {
    return `${explained.charAt(0).toUpperCase()}${explained.slice(1)}.`.replace(/\.\.$/, '.');
  }
  const words = code.toLowerCase().replace(/_/g, ' ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}.`;
}

/** A field a validation error could name: the first body property or parameter. */
function firstInputName(operation: Json, schemas: Record<string, Json>): string {
  const content = (operation.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
  const ref = (content?.['application/json']?.schema as Json | undefined)?.$ref as string | undefined;
  const body = ref ? schemas[ref.split('/').pop()!] : undefined;
  const property = Object.keys(body?.properties ?? {})[0];
  if (property) {
    return property;
  }
  const parameter = ((operation.parameters ?? []) as Json[])[0];
  return (parameter?.name as string | undefined) ?? 'body';
}
