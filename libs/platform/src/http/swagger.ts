import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemDetailsDto } from './problem-details.dto';
import { describeIdempotencyErrors, describeOpenApiDocument, OpenApiText } from './openapi-descriptions';
import { describeCachedResponses } from './openapi-cached-responses';
import { hardenOpenApiDocument } from './openapi-hardening';
import { addProblemExamples } from './openapi-problem-examples';
import { PROBLEM_CONTENT_TYPE } from './problem-details';

const PROBLEM_REF = { $ref: '#/components/schemas/ProblemDetailsDto' };
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export function buildOpenApiDocument(app: INestApplication, text?: OpenApiText): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Commerce API')
    .setDescription(
      'Commerce and subscription API. Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`.',
    )
    .setVersion('1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'Access token from /v1/auth/login. JWTs follow RFC8725: HS256 only, with iss, aud, exp and nbf checked before any claim is used.',
      },
      'bearer',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemDetailsDto],
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  addProblemResponses(document);
  describeIdempotencyErrors(document);
  describeCachedResponses(document);
  hardenOpenApiDocument(document);
  describeOpenApiDocument(document, text);
  addProblemExamples(document);
  return document;
}

/** Every operation documents the problem+json body its errors come in. */
function addProblemResponses(document: OpenAPIObject): void {
  const problemContent = { [PROBLEM_CONTENT_TYPE.split(';')[0]]: { schema: PROBLEM_REF } };
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!operation) {
        continue;
      }
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (Number(status) >= 400 && response && 'description' in response) {
          response.content = problemContent;
        }
      }
      // Every operation that takes input is validated by the global pipe.
      if (operation.requestBody || (operation.parameters ?? []).length > 0) {
        operation.responses['400'] ??= {
          description: 'VALIDATION_FAILED: the request is invalid; `errors[]` names each bad field',
          content: problemContent,
        };
      }
      operation.responses['4XX'] ??= { description: 'Client error (problem details)', content: problemContent };
      operation.responses['5XX'] ??= {
        description: 'Server or dependency error (problem details)',
        content: problemContent,
      };
    }
  }
}

/**
 * The document is built on the first request to /docs, /docs-json or /docs-yaml (then
 * kept), not at start: building it walks every route's metadata and leaves megabytes of
 * garbage and a large object graph behind that a process nobody reads the docs from
 * does not need.
 */
export function setupSwagger(app: INestApplication, text?: OpenApiText): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, text), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'Commerce API',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}
