import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, RunningProcess, startBuiltApp, waitFor } from '../support/api-process';
import { adminEnv, bearer, PASSWORD, uniqueEmail } from '../support/auth-helpers';
import { httpInjector, InjectedResponse, Injector } from '../support/http-injector';
import { Authenticator } from '../support/mfa-helpers';

const PRISM = path.resolve(__dirname, '../../node_modules/@stoplight/prism-cli/dist/index.js');

/**
 * The document as served, made strict for the contract run: no object may carry a
 * property the document does not name (OpenAPI allows extra properties by default,
 * which would let a leaked field such as a password hash pass).
 */
function strict<T>(node: T): T {
  if (Array.isArray(node)) {
    return node.map(strict) as T;
  }
  if (node && typeof node === 'object') {
    const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, strict(value)])) as Record<
      string,
      unknown
    >;
    if (copy.type === 'object' && copy.properties && copy.additionalProperties === undefined) {
      copy.additionalProperties = false;
    }
    return copy as T;
  }
  return node;
}

async function startPrism(
  documentPath: string,
  upstreamPort: number,
  port: number,
): Promise<{ process: ChildProcess; output: () => string }> {
  let output = '';
  const child = spawn(
    process.execPath,
    [
      PRISM,
      'proxy',
      documentPath,
      `http://127.0.0.1:${upstreamPort}`,
      '--errors',
      '--validate-request=false',
      '-p',
      String(port),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(
    () => output.includes('Prism is listening'),
    60_000,
    () => output,
  );
  return { process: child, output: () => output };
}

/**
 * The API's traffic through Stoplight Prism as a validating proxy (`prism proxy
 * --errors`): every response is checked against the OpenAPI document the API itself
 * serves, so an undocumented field (a password hash), a wrong status or a missing
 * property fails. Requests are not validated by Prism (the error paths send bad
 * input on purpose); the API answers them and Prism checks those answers too.
 */
describe('responses match the OpenAPI document (Prism validating proxy)', () => {
  let api: RunningProcess;
  let prism: ChildProcess;
  let directory: string;
  let client: Injector;
  let env: { ADMIN_EMAIL: string; ADMIN_PASSWORD: string };
  let served: {
    paths: Record<
      string,
      Record<string, { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>
    >;
    components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
  };
  const checked: string[] = [];

  beforeAll(async () => {
    env = adminEnv();
    api = await startBuiltApp('api', env, '/health/ready');
    directory = await mkdtemp(path.join(tmpdir(), 'prism-'));
    const documentPath = path.join(directory, 'openapi.json');
    served = (await (await fetch(`http://127.0.0.1:${api.port}/docs-json`)).json()) as typeof served;
    await writeFile(documentPath, JSON.stringify(strict(served)));
    const port = await freePort();
    prism = (await startPrism(documentPath, api.port, port)).process;
    client = httpInjector(port);
  }, 120_000);

  afterAll(async () => {
    prism?.kill('SIGKILL');
    api?.child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
  });

  /** Sends through Prism and fails on any violation it reports, or an unexpected status. */
  const call = async (
    expected: number,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    token?: string,
    payload?: object,
    headers: Record<string, string> = {},
  ): Promise<InjectedResponse> => {
    const response = await client.inject({
      method,
      url,
      headers: { ...(token ? bearer(token) : {}), ...headers },
      payload,
    });
    checked.push(`${method} ${url} ${response.statusCode}`);
    const violations = response.headers['sl-violations'];
    expect({ request: `${method} ${url}`, status: response.statusCode, violations: violations ?? null }).toEqual({
      request: `${method} ${url}`,
      status: expected,
      violations: null,
    });
    return response;
  };

  it('a customer and an admin journey, success and error paths, all as documented', async () => {
    const email = uniqueEmail('prism');
    const registered = (
      await call(201, 'POST', '/v1/auth/register', undefined, { email, password: PASSWORD, name: 'Prism' })
    ).json<{ accessToken: string; refreshToken: string }>();
    await call(409, 'POST', '/v1/auth/register', undefined, { email, password: PASSWORD, name: 'Twin' });
    await call(400, 'POST', '/v1/auth/register', undefined, { email: 'not-an-email', password: 'short', name: '' });
    await call(401, 'POST', '/v1/auth/login', undefined, { email, password: 'wrong-password-123' });
    const customer = (await call(200, 'POST', '/v1/auth/login', undefined, { email, password: PASSWORD })).json<{
      accessToken: string;
      refreshToken: string;
    }>().accessToken;
    const admin = (
      await call(200, 'POST', '/v1/auth/login', undefined, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD })
    ).json<{ accessToken: string }>().accessToken;
    await call(200, 'POST', '/v1/auth/refresh', undefined, { refreshToken: registered.refreshToken });

    await call(200, 'GET', '/v1/users/me', customer);
    await call(200, 'PATCH', '/v1/users/me', customer, { name: 'Prism Renamed' });
    await call(401, 'GET', '/v1/users/me');
    await call(200, 'GET', '/v1/users?limit=5', admin);
    await call(403, 'GET', '/v1/users', customer);

    const product = (
      await call(201, 'POST', '/v1/products', admin, {
        sku: `PRISM-${randomUUID().slice(0, 8)}`,
        name: 'Prism product',
        priceCents: 1234,
        currency: 'EUR',
      })
    ).json<{ id: string }>();
    await call(200, 'GET', `/v1/products/${product.id}`);
    await call(200, 'GET', '/v1/products?limit=5');
    await call(400, 'GET', '/v1/products?limit=1000');
    await call(404, 'GET', `/v1/products/${randomUUID()}`);
    await call(200, 'PATCH', `/v1/products/${product.id}`, admin, { priceCents: 1500 });
    const warehouse = (
      await call(201, 'POST', '/v1/warehouses', admin, {
        code: `P${randomUUID().slice(0, 6)}`,
        name: 'Prism warehouse',
      })
    ).json<{ id: string }>();
    await call(200, 'GET', '/v1/warehouses', admin);
    await call(201, 'POST', '/v1/inventory/adjustments', admin, {
      productId: product.id,
      warehouseId: warehouse.id,
      delta: 5,
      reason: 'prism stock',
    });
    await call(200, 'GET', `/v1/inventory/${product.id}`, admin);
    await call(200, 'GET', '/v1/inventory/totals', admin);

    const order = (
      await call(
        201,
        'POST',
        '/v1/orders',
        customer,
        { items: [{ productId: product.id, quantity: 2 }] },
        { 'idempotency-key': randomUUID() },
      )
    ).json<{ id: string }>();
    await call(
      409,
      'POST',
      '/v1/orders',
      customer,
      { items: [{ productId: product.id, quantity: 50 }] },
      { 'idempotency-key': randomUUID() },
    );
    await call(200, 'GET', `/v1/orders/${order.id}`, customer);
    await call(200, 'GET', '/v1/orders?limit=5', customer);
    await call(200, 'POST', `/v1/orders/${order.id}/cancel`, customer);
    await call(409, 'POST', `/v1/orders/${order.id}/cancel`, customer);

    const plan = (
      await call(201, 'POST', '/v1/plans', admin, {
        code: `PRISM-${randomUUID().slice(0, 6)}`,
        name: 'Prism plan',
        priceCents: 1000,
        currency: 'EUR',
        interval: 'month',
      })
    ).json<{ id: string }>();
    await call(200, 'GET', '/v1/plans');
    const subscription = (await call(201, 'POST', '/v1/subscriptions', customer, { planId: plan.id })).json<{
      id: string;
    }>();
    await call(200, 'GET', '/v1/subscriptions/me', customer);
    await call(200, 'GET', '/v1/invoices', customer);
    await call(200, 'POST', `/v1/subscriptions/${subscription.id}/cancel`, customer, { atPeriodEnd: true });

    await call(200, 'GET', '/v1/reports/sales', admin);
    await call(202, 'POST', '/v1/reports', admin, { type: 'orders', format: 'csv' });
    await call(200, 'GET', '/health/live');
    await call(204, 'POST', '/v1/auth/logout-all', customer);
    expect(checked.length).toBeGreaterThanOrEqual(39);
  }, 120_000);

  // Two codes per user only (enable, disable): a third could be of a step not yet reached.
  it('the two-factor journey: setup, enable, the challenge login, verify, disable, as documented', async () => {
    const email = uniqueEmail('prism-2fa');
    const token = (
      await call(201, 'POST', '/v1/auth/register', undefined, { email, password: PASSWORD, name: 'Prism' })
    ).json<{ accessToken: string }>().accessToken;
    const phone = new Authenticator(
      (await call(200, 'POST', '/v1/auth/2fa/setup', token)).json<{ secret: string }>().secret,
    );
    await call(400, 'POST', '/v1/auth/2fa/enable', token, { code: phone.wrongCode() });
    const { recoveryCodes } = (await call(200, 'POST', '/v1/auth/2fa/enable', token, { code: phone.nextCode() })).json<{
      recoveryCodes: string[];
    }>();
    const challenge = () =>
      call(200, 'POST', '/v1/auth/login', undefined, { email, password: PASSWORD }).then((r) =>
        r.json<{ mfaToken: string }>(),
      );
    const { mfaToken } = await challenge();
    await call(401, 'POST', '/v1/auth/2fa/verify', undefined, { mfaToken, code: phone.wrongCode() });
    await call(200, 'POST', '/v1/auth/2fa/verify', undefined, { mfaToken, recoveryCode: recoveryCodes[0] });
    await call(200, 'POST', '/v1/auth/2fa/verify', undefined, {
      mfaToken: (await challenge()).mfaToken,
      recoveryCode: recoveryCodes[1],
    });
    await call(200, 'GET', '/v1/users/me', token);
    await call(204, 'POST', '/v1/auth/2fa/disable', token, { code: phone.nextCode() });
  }, 60_000);

  it('is really validating: a response field the document does not name is a violation', async () => {
    // The document minus one property of the profile schema: the API still sends it.
    const ref = served.paths['/v1/users/me'].get.responses['200'].content!['application/json'].schema!.$ref!;
    const name = ref.split('/').pop()!;
    const tampered = strict(served);
    delete tampered.components.schemas[name].properties!.name;
    tampered.components.schemas[name].required = tampered.components.schemas[name].required?.filter(
      (field) => field !== 'name',
    );
    const documentPath = path.join(directory, 'tampered.json');
    await writeFile(documentPath, JSON.stringify(tampered));
    const port = await freePort();
    const control = await startPrism(documentPath, api.port, port);
    try {
      const { accessToken } = (await (
        await fetch(`http://127.0.0.1:${api.port}/v1/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: uniqueEmail('control'), password: PASSWORD, name: 'Control' }),
        })
      ).json()) as { accessToken: string };
      const response = await httpInjector(port).inject({
        method: 'GET',
        url: '/v1/users/me',
        headers: bearer(accessToken),
      });
      expect(response.statusCode).toBe(500);
      expect(response.body).toMatch(/VIOLATIONS|additional/i);
    } finally {
      control.process.kill('SIGKILL');
    }
  });

  it('is really validating: a path the document does not have is refused by Prism itself', async () => {
    const response = await client.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('NO_PATH_MATCHED_ERROR');
  });
});
