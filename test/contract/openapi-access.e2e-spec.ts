import accessRules from '../security/access-rules.json';
import { Operation, operationsOf, withServedDocument } from '../support/openapi-document';

type Access = 'public' | 'customer' | 'admin';

/**
 * Who may call what is written once, in test/security/access-rules.json: the access-control
 * matrix proves the running API follows it, and this test proves the document says the same.
 * Signed-in routes (customer and admin) name the bearer scheme and document 401 with the
 * token codes; admin routes also document 403 AUTH_FORBIDDEN; public routes do neither.
 * A public route may still answer 401 for its own reason (wrong password, bad refresh
 * token), and a signed-in one 403 for a rule of its feature (BILLING_AT_ADMIN_ONLY): those
 * responses just must not name the codes of the guards. @SignedInRoute() and @AdminRoute()
 * (libs/platform/src/auth/route-access.decorators.ts) are how a route gets this right.
 */
const RULES = accessRules as Record<string, { access: Access }>;
const TOKEN_CODES = ['AUTH_UNAUTHENTICATED', 'AUTH_TOKEN_INVALID', 'AUTH_TOKEN_EXPIRED', 'AUTH_SESSION_REVOKED'];
const ADMIN_CODE = 'AUTH_FORBIDDEN';

function names(operation: Operation, status: string, code: string): boolean {
  return (operation.responses[status]?.description ?? '').includes(code);
}

function exampleCodes(operation: Operation, status: string): string[] {
  const media = operation.responses[status]?.content?.['application/problem+json'] as
    { examples?: Record<string, { value: { code: string } }> } | undefined;
  return Object.values(media?.examples ?? {}).map((example) => example.value.code);
}

describe('OpenAPI document: 401 and 403 exactly where the access rules say', () => {
  const served = withServedDocument();

  it('has an access rule for every operation', () => {
    expect(
      operationsOf(served.document())
        .filter(({ key }) => !(key in RULES))
        .map(({ key }) => key),
    ).toEqual([]);
  });

  it('documents the bearer scheme, 401 and 403 per operation as its access rule says', () => {
    const problems: string[] = [];
    for (const { key, operation } of operationsOf(served.document())) {
      const rule = RULES[key];
      if (!rule) {
        continue; // reported above
      }
      const signedIn = rule.access !== 'public';
      const admin = rule.access === 'admin';
      const actual = {
        bearer: (operation.security ?? []).length > 0,
        '401 with the token codes': TOKEN_CODES.every((code) => names(operation, '401', code)),
        '401 example AUTH_UNAUTHENTICATED': exampleCodes(operation, '401').includes('AUTH_UNAUTHENTICATED'),
        '403 AUTH_FORBIDDEN': names(operation, '403', ADMIN_CODE),
        '403 example AUTH_FORBIDDEN': exampleCodes(operation, '403').includes(ADMIN_CODE),
      };
      const expected = {
        bearer: signedIn,
        '401 with the token codes': signedIn,
        '401 example AUTH_UNAUTHENTICATED': signedIn,
        '403 AUTH_FORBIDDEN': admin,
        '403 example AUTH_FORBIDDEN': admin,
      };
      for (const [what, value] of Object.entries(actual)) {
        if (value !== expected[what as keyof typeof expected]) {
          problems.push(`${key} (${rule.access}): ${value ? 'has' : 'lacks'} ${what}`);
        }
      }
      if (!signedIn && TOKEN_CODES.some((code) => names(operation, '401', code))) {
        problems.push(`${key} (public): its 401 names a token code`);
      }
    }
    expect(problems).toEqual([]);
  });
});
