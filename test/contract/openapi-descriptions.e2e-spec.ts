import { DEMO_ACCOUNTS } from '@app/auth';
import { codesNamedIn, knownErrorCodes } from '@app/platform/http/openapi-problem-examples';
import { problemTypeFor } from '@app/platform/http/problem-details';
import { OpenApi, operationsOf, withServedDocument } from '../support/openapi-document';

interface ProblemExample {
  value: { code: string; status: number; type: string; title: string };
}

/**
 * The words and error examples of the document, for every operation and tag (today's and
 * those added later): no response without a description, no tag without one, an intro
 * that says how to log in from the Swagger UI, and each error response naming the real
 * codes it answers with (from the defineErrors tables) with one example per code.
 */
describe('OpenAPI document: descriptions and error examples', () => {
  const served = withServedDocument();
  let document: OpenApi;
  beforeAll(() => {
    document = served.document();
  });

  it('describes every response', () => {
    const empty = operationsOf(document).flatMap(({ key, operation }) =>
      Object.entries(operation.responses)
        .filter(([, response]) => !response.description?.trim())
        .map(([status]) => `${key} ${status}`),
    );
    expect(empty).toEqual([]);
  });

  it('describes every tag an operation uses', () => {
    const used = new Set(operationsOf(document).flatMap(({ operation }) => operation.tags ?? []));
    const described = new Set((document.tags ?? []).filter((tag) => tag.description?.trim()).map((tag) => tag.name));
    expect([...used].filter((tag) => !described.has(tag))).toEqual([]);
  });

  it('opens with how to log in as the demo customer, authorize, and send an Idempotency-Key', () => {
    const customer = DEMO_ACCOUNTS.find((account) => account.roles[0] === 'customer')!;
    const intro = document.info.description ?? '';
    for (const text of [
      customer.email,
      customer.password,
      '/v1/auth/login',
      'accessToken',
      'Authorize',
      'Idempotency-Key',
    ]) {
      expect(intro).toContain(text);
    }
  });

  it('names, in each error response, real codes answered with its status, with one example each', () => {
    const known = knownErrorCodes();
    const problems: string[] = [];
    for (const { key, operation } of operationsOf(document)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const range = /^[45]XX$/.test(status);
        if (!range && Number(status) < 400) {
          continue;
        }
        const at = `${key} ${status}`;
        const examples = (
          response.content?.['application/problem+json'] as { examples?: Record<string, ProblemExample> }
        )?.examples;
        if (!examples || Object.keys(examples).length === 0) {
          problems.push(`${at}: no problem+json example`);
          continue;
        }
        if (!range) {
          const named = codesNamedIn(response.description, Number(status), known);
          if (named.length === 0) {
            problems.push(`${at}: the description "${response.description}" names no code answered with ${status}`);
          } else if (JSON.stringify(Object.keys(examples)) !== JSON.stringify(named)) {
            problems.push(`${at}: examples ${Object.keys(examples).join(', ')} for the codes ${named.join(', ')}`);
          }
        }
        for (const [name, { value }] of Object.entries(examples)) {
          const statusMatches = range ? String(value.status)[0] === status[0] : value.status === Number(status);
          if (value.code !== name || !statusMatches || value.type !== problemTypeFor(value.code)) {
            problems.push(`${at}: example ${name} is ${JSON.stringify(value)}`);
          }
          if (known.get(value.code) !== value.status) {
            problems.push(`${at}: example ${name}: ${value.code} is not answered with ${value.status}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
