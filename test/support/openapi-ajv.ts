import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Json, OpenApi } from './openapi-document';

const DOCUMENT_ID = 'openapi.json';

/**
 * An OpenAPI 3.0 schema as JSON Schema for ajv: `nullable: true` becomes a `null` type,
 * and `#/components/...` references point into the document, registered under its own id.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(toJsonSchema);
  }
  if (!node || typeof node !== 'object') {
    return node;
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    out[key] = key === '$ref' && typeof value === 'string' ? `${DOCUMENT_ID}${value}` : toJsonSchema(value);
  }
  if (out.nullable === true) {
    delete out.nullable;
    return { anyOf: [{ ...out }, { type: 'null' }] };
  }
  return out;
}

/**
 * Validators for the schemas of one OpenAPI document: ajv with ajv-formats, OpenAPI's own
 * keywords (`example`, `nullable` handled above, `discriminator`, `xml`, `x-*`) allowed, and
 * its number formats (int32, int64, float, double) checked by range.
 */
export function schemaValidator(document: OpenApi): (schema: Json) => ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addSchema({ $id: DOCUMENT_ID, components: toJsonSchema(document.components) as Json });
  // Many examples share a schema (every problem+json body): compile each schema once.
  const compiled = new Map<string, ValidateFunction>();
  return (schema) => {
    const key = JSON.stringify(schema);
    if (!compiled.has(key)) {
      compiled.set(key, ajv.compile(toJsonSchema(schema) as Json));
    }
    return compiled.get(key)!;
  };
}
