import { HTTP_METHODS, Json, OpenApi, resolve } from './openapi-document';

/** One example the document gives, with the schema it must satisfy. */
export interface DocumentedExample {
  kind: 'schema' | 'parameter' | 'media';
  where: string;
  schema: Json;
  value: unknown;
}

/** The `example` of a schema node and of every node inside it (`$ref`s are walked where they are defined). */
function schemaExamples(node: unknown, where: string, into: DocumentedExample[]): void {
  if (!node || typeof node !== 'object') {
    return;
  }
  const schema = node as Json;
  if ('example' in schema) {
    into.push({ kind: 'schema', where, schema, value: schema.example });
  }
  for (const [name, property] of Object.entries((schema.properties ?? {}) as Json)) {
    schemaExamples(property, `${where}.${name}`, into);
  }
  for (const key of ['items', 'additionalProperties', 'not'] as const) {
    schemaExamples(schema[key], `${where}.${key}`, into);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    ((schema[key] ?? []) as unknown[]).forEach((part, index) =>
      schemaExamples(part, `${where}.${key}[${index}]`, into),
    );
  }
}

/** `example` and every `examples[name].value` of a parameter, header or media type object. */
function objectExamples(object: Json, where: string, into: DocumentedExample[]): void {
  const schema = (object.schema ?? {}) as Json;
  if ('example' in object) {
    into.push({ kind: where.includes(' parameter ') ? 'parameter' : 'media', where, schema, value: object.example });
  }
  for (const [name, example] of Object.entries((object.examples ?? {}) as Record<string, Json>)) {
    const kind = where.includes(' parameter ') ? 'parameter' : 'media';
    into.push({ kind, where: `${where} examples.${name}`, schema, value: example.value });
  }
  schemaExamples(object.schema, `${where} schema`, into);
}

/**
 * Every example the document states: in component schemas, in parameters, in request
 * and response bodies and headers. Found by walking the document, so new routes and DTOs
 * are covered without a list.
 */
export function documentedExamples(document: OpenApi): DocumentedExample[] {
  const found: DocumentedExample[] = [];
  for (const [name, schema] of Object.entries(document.components.schemas)) {
    schemaExamples(schema, name, found);
  }
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS.filter((candidate) => item[candidate])) {
      const operation = item[method];
      const at = `${method.toUpperCase()} ${path}`;
      for (const parameter of operation.parameters ?? []) {
        objectExamples(parameter as unknown as Json, `${at} parameter ${parameter.name}`, found);
      }
      for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) {
        objectExamples(media, `${at} body ${type}`, found);
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          objectExamples(media, `${at} ${status} ${type}`, found);
        }
        for (const [name, header] of Object.entries(((response as Json).headers ?? {}) as Record<string, Json>)) {
          objectExamples(header, `${at} ${status} header ${name}`, found);
        }
      }
    }
  }
  return found;
}

/** A value built from a schema's property examples (objects and arrays of one item), as the Swagger UI does. */
export function exampleValue(document: OpenApi, schema: Json | undefined): unknown {
  const resolved = resolve(document, schema);
  if (!resolved) {
    return undefined;
  }
  if ('example' in resolved) {
    return resolved.example;
  }
  if (resolved.type === 'array') {
    return [exampleValue(document, resolved.items as Json)];
  }
  const properties = Object.entries((resolved.properties ?? {}) as Record<string, Json>);
  return Object.fromEntries(properties.map(([name, property]) => [name, exampleValue(document, property)]));
}
