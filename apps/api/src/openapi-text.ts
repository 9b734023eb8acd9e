import { DEMO_ACCOUNTS } from '@app/auth';
import type { OpenApiText } from '@app/platform';

const customer = DEMO_ACCOUNTS.find((account) => account.roles[0] === 'customer')!;
const admin = DEMO_ACCOUNTS.find((account) => account.roles[0] === 'admin')!;

/**
 * The words of the OpenAPI document (the Swagger UI at /docs): how to try the API with the
 * demo data of `npm start`, and what each tag groups. A tag a controller names must have a
 * description here (test/contract/openapi-descriptions.e2e-spec.ts).
 */
export const OPENAPI_TEXT: OpenApiText = {
  intro: [
    'Commerce and subscription API. Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`; each error response below shows an example per code.',
    '',
    '**Trying it here** (with the demo data `npm start` seeds into its embedded database):',
    '',
    `1. Log in: open **POST /v1/auth/login**, press *Try it out* and *Execute* with the example body, the demo customer \`${customer.email}\` / \`${customer.password}\` (the demo admin is \`${admin.email}\` / \`${admin.password}\`).`,
    '2. Copy the `accessToken` of the response, press **Authorize** (top right), paste it into the `bearer` field (without the word Bearer) and press *Authorize*: every call from this page then carries it.',
    '3. Writes that take an `Idempotency-Key` header list it among their parameters (required where marked *required*, e.g. placing an order). The example is a fresh UUID; send a new key for each new request, since a repeated key replays the first answer.',
    '4. Product ids are generated when the demo data is seeded: call **GET /v1/products** and copy an `id` to use as a `productId`, with a `quantity` of 1 or 2.',
  ].join('\n'),
  tags: {
    auth: 'Register, log in, refresh and end sessions: a short-lived JWT access token and a rotating refresh token.',
    billing: 'Plans, subscriptions with exact proration on plan changes, invoices, and the renewal run.',
    catalog: 'Products: public reads (cached, with ETag), writes for admins.',
    files:
      'Uploads streamed to storage with their SHA-256, downloads with Range; a customer sees only their own files.',
    inventory: 'Warehouses and stock per warehouse, changed only through adjustments with a ledger row (admin).',
    operations: 'Liveness and readiness probes for the orchestrator; not rate limited.',
    orders: 'Placing an order reserves stock for every line, all or nothing; a customer sees only their own orders.',
    reports:
      'Order exports (CSV, NDJSON) streamed from the database, daily sales, and reports queued for the worker (admin).',
    users: "The caller's profile and password, and user administration (admin).",
  },
};
