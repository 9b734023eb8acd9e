import { bearer } from '../support/auth-helpers';
import { schemaValidator } from '../support/openapi-ajv';
import { Json, OpenApi, withServedDocument } from '../support/openapi-document';
import { documentedExamples, exampleValue } from '../support/openapi-examples';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * The document's examples are right: each validates against its own schema (ajv with
 * ajv-formats), and the ones a newcomer runs from the Swagger UI work against the demo
 * data: the login body logs the demo customer in, and an order with the example quantity
 * and Idempotency-Key is placed.
 */
describe('OpenAPI document examples', () => {
  // The demo data of `npm start`, on a database of its own.
  const served = withServedDocument({ env: { SEED_DEMO_DATA: 'true' }, isolatedDatabase: 'openapi_examples' });
  let document: OpenApi;
  beforeAll(() => {
    document = served.document();
  });

  it('validates every example against its own schema', () => {
    const compile = schemaValidator(document);
    const examples = documentedExamples(document);
    // The walk finds each kind: schema properties, parameters, request and response bodies.
    expect(new Set(examples.map((example) => example.kind))).toEqual(new Set(['schema', 'parameter', 'media']));
    const invalid = examples.flatMap(({ where, schema, value }) => {
      const validate = compile(schema);
      return validate(value) ? [] : [`${where}: ${JSON.stringify(value)} ${JSON.stringify(validate.errors)}`];
    });
    expect(invalid).toEqual([]);
    expect(examples.length).toBeGreaterThan(100);
  });

  it('logs the demo customer in with the login example, and places an order with the order examples', async () => {
    const loginOperation = document.paths['/v1/auth/login'].post;
    const loginBody = exampleValue(document, loginOperation.requestBody?.content?.['application/json'].schema as Json);
    const session = await served.app().inject({ method: 'POST', url: '/v1/auth/login', payload: loginBody as object });
    expect(session.statusCode).toBe(200);
    const { accessToken } = session.json<{ accessToken: string }>();

    // Product ids are generated at seeding, so the example names none: the intro says to
    // copy one from GET /v1/products, as done here.
    const listed = (await served.app().inject({ method: 'GET', url: '/v1/products' })).json<{
      items: Array<{ id: string }>;
    }>();
    expect(listed.items.length).toBeGreaterThan(0);

    const orderOperation = document.paths['/v1/orders'].post;
    const key = orderOperation.parameters?.find((parameter) => parameter.name === 'Idempotency-Key');
    expect(key).toMatchObject({ required: true, example: expect.stringMatching(UUID) });
    const body = exampleValue(document, orderOperation.requestBody?.content?.['application/json'].schema as Json) as {
      items: Array<{ productId: unknown; quantity: number }>;
    };
    expect([1, 2]).toContain(body.items[0].quantity);
    body.items[0].productId = listed.items[0].id;
    const order = await served.app().inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...bearer(accessToken), 'idempotency-key': key!.example as string },
      payload: body,
    });
    expect(order.statusCode).toBe(201);
  });
});
