import type { Type } from '@nestjs/common';
import { Json, OpenApi, Operation, operationsOf, resolve, withServedDocument } from '../support/openapi-document';
import { routeDtos, validatedProperties } from '../support/route-dtos';

/**
 * The document against what the API really validates: for every DTO a route takes as its
 * body, query or path parameters, each property class-validator checks must be in the
 * document, required exactly when the validator requires it, and the document must name no
 * property the whitelisting pipe would refuse. The Swagger plugin silently drops a property
 * it cannot read (`@Min(-1_000_000)` once hid AdjustStockDto's `delta`); this finds any such gap.
 */
describe('OpenAPI document vs class-validator DTOs', () => {
  const served = withServedDocument();
  let document: OpenApi;
  let operations: Map<string, Operation>;

  beforeAll(() => {
    document = served.document();
    operations = new Map(operationsOf(document).map(({ operation }) => [operation.operationId, operation]));
  });

  /** Mismatches between a DTO class and its schema, recursing into nested DTOs. */
  function compareSchema(dto: Type<unknown>, schema: Json | undefined, where: string): string[] {
    if (!schema?.properties) {
      return [`${where}: no object schema for ${dto.name}`];
    }
    const properties = schema.properties as Record<string, Json>;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const problems: string[] = [];
    const validated = validatedProperties(dto);
    for (const property of validated) {
      const at = `${where}.${property.name}`;
      if (!properties[property.name]) {
        problems.push(`${at}: validated but missing from the document`);
        continue;
      }
      if (required.has(property.name) === property.optional) {
        problems.push(`${at}: ${property.optional ? 'optional' : 'required'} but documented otherwise`);
      }
      if (property.nested) {
        const nested = properties[property.name];
        const target = nested.type === 'array' ? (nested.items as Json) : nested;
        problems.push(...compareSchema(property.nested, resolve(document, target), at));
      }
    }
    for (const name of Object.keys(properties)) {
      if (!validated.some((property) => property.name === name)) {
        problems.push(`${where}.${name}: documented but refused by the whitelisting pipe`);
      }
    }
    return problems;
  }

  /** Query and path DTOs become parameters: compare their names and `required`. */
  function compareParameters(dto: Type<unknown>, operation: Operation, where: 'query' | 'path', at: string): string[] {
    const parameters = (operation.parameters ?? []).filter((parameter) => parameter.in === where);
    const validated = validatedProperties(dto);
    const problems = validated.flatMap((property) => {
      const parameter = parameters.find((candidate) => candidate.name === property.name);
      if (!parameter) {
        return [`${at}.${property.name}: validated but missing from the document`];
      }
      return Boolean(parameter.required) === property.optional
        ? [`${at}.${property.name}: ${property.optional ? 'optional' : 'required'} but documented otherwise`]
        : [];
    });
    if (where === 'query') {
      for (const parameter of parameters) {
        if (!validated.some((property) => property.name === parameter.name)) {
          problems.push(`${at}.${parameter.name}: documented but refused by the whitelisting pipe`);
        }
      }
    }
    return problems;
  }

  it('finds the DTOs of the routes (the walk over Nest metadata works)', () => {
    const sources = new Set(routeDtos(served.app()).map((route) => route.source));
    expect([...sources].sort()).toEqual(['body', 'path', 'query']);
  });

  it('documents every validated property of every body, query and path DTO, required as validated', () => {
    const problems: string[] = [];
    for (const { operationId, source, dto } of routeDtos(served.app())) {
      const operation = operations.get(operationId);
      const at = `${operationId} ${source} ${dto.name}`;
      if (!operation) {
        problems.push(`${at}: no operation ${operationId} in the document`);
      } else if (source === 'body') {
        const media = operation.requestBody?.content?.['application/json'];
        problems.push(...compareSchema(dto, resolve(document, media?.schema as Json | undefined), at));
      } else {
        problems.push(...compareParameters(dto, operation, source, at));
      }
    }
    expect(problems).toEqual([]);
  });
});
