import type { OpenAPIObject } from '@nestjs/swagger';
import { defineErrors } from '../errors/define-errors';
import { ErrorKind } from '../errors/domain-error';
import { addProblemExamples, EXAMPLE_REQUEST_ID } from './openapi-problem-examples';

// A feature's table, as a feature defines one: its codes are what the examples may show.
defineErrors('SpecGadgetError', {
  NotFound: ['SPEC_GADGET_NOT_FOUND', ErrorKind.NotFound],
  Taken: ['SPEC_GADGET_TAKEN', ErrorKind.Conflict],
});

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetailsDto' } } };

type Examples = Record<string, { value: Record<string, unknown> }>;

function documentWith(responses: Record<string, { description: string; content?: unknown }>): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 'spec', version: '1' },
    paths: {
      '/gadgets': {
        post: {
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/GadgetDto' } } } },
          responses,
        },
      },
    },
    components: { schemas: { GadgetDto: { type: 'object', properties: { name: { type: 'string' } } } } },
  } as unknown as OpenAPIObject;
}

function examplesOf(document: OpenAPIObject, status: string): Examples {
  const response = document.paths['/gadgets'].post!.responses[status] as {
    content: Record<string, { examples: Examples }>;
  };
  return response.content['application/problem+json'].examples;
}

describe('addProblemExamples', () => {
  it('gives each code a description names the example the API sends for it', () => {
    const document = documentWith({
      '404': { description: 'SPEC_GADGET_NOT_FOUND: no gadget has this id', content: PROBLEM },
      '409': { description: 'SPEC_GADGET_TAKEN or IDEMPOTENCY_IN_PROGRESS', content: PROBLEM },
    });
    addProblemExamples(document);

    expect(examplesOf(document, '404')).toEqual({
      SPEC_GADGET_NOT_FOUND: {
        summary: 'SPEC_GADGET_NOT_FOUND',
        value: {
          type: '/problems/spec-gadget-not-found',
          title: 'Not Found',
          status: 404,
          detail: 'No gadget has this id.',
          code: 'SPEC_GADGET_NOT_FOUND',
          requestId: EXAMPLE_REQUEST_ID,
        },
      },
    });
    // IDEMPOTENCY_IN_PROGRESS is the platform's: its table is loaded with the platform.
    expect(Object.keys(examplesOf(document, '409'))).toEqual(['SPEC_GADGET_TAKEN', 'IDEMPOTENCY_IN_PROGRESS']);
  });

  it('ignores a code of another status, falling back to the status code, and gives each response its own content', () => {
    const document = documentWith({
      '404': { description: 'SPEC_GADGET_TAKEN', content: PROBLEM },
      '422': { description: 'nothing named', content: PROBLEM },
    });
    addProblemExamples(document);

    expect(Object.keys(examplesOf(document, '404'))).toEqual(['NOT_FOUND']);
    expect(examplesOf(document, '422').UNPROCESSABLE_ENTITY.value.status).toBe(422);
    expect(examplesOf(document, '404')).not.toBe(examplesOf(document, '422'));
  });

  it("names the body's first property in a VALIDATION_FAILED example, and leaves success answers alone", () => {
    const document = documentWith({
      '201': { description: 'Created' },
      '400': { description: 'VALIDATION_FAILED: the request is invalid', content: PROBLEM },
    });
    addProblemExamples(document);

    expect(examplesOf(document, '400').VALIDATION_FAILED.value.errors).toEqual([
      { field: 'name', message: 'name is invalid' },
    ]);
    expect(document.paths['/gadgets'].post!.responses['201']).toEqual({ description: 'Created' });
  });
});
