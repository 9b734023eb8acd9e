// An example client of the API, typed end to end by the OpenAPI document:
// `npm run client:generate` writes the types (here the test writes them to
// ./generated/api-types.d.ts), and openapi-fetch checks every path, parameter, body
// and response against them. If the document lies about a shape, this stops compiling.
import createClient from 'openapi-fetch';
import type { paths } from './generated/api-types';

export interface JourneyResult {
  registered: number;
  loggedIn: number;
  productCount: number;
  orderStatus: number;
  orderId: string;
  orderTotalCents: number;
}

/** Register, log in, list the products, and order one unit of `productId`. */
export async function journey(
  baseUrl: string,
  email: string,
  productId: string,
  idempotencyKey: string,
): Promise<JourneyResult> {
  const api = createClient<paths>({ baseUrl });

  const registered = await api.POST('/v1/auth/register', {
    body: { email, password: 'a-long-enough-password', name: 'Typed Client' },
  });
  if (!registered.data) {
    throw new Error(`register failed: ${registered.response.status}`);
  }
  const loggedIn = await api.POST('/v1/auth/login', { body: { email, password: 'a-long-enough-password' } });
  // A user with two-factor on would get `{mfaRequired, mfaToken}` instead of tokens.
  if (!loggedIn.data || !('accessToken' in loggedIn.data)) {
    throw new Error(`login failed: ${loggedIn.response.status}`);
  }
  const authorization = `Bearer ${loggedIn.data.accessToken}`;

  const products = await api.GET('/v1/products', { params: { query: { limit: 20 } } });
  if (!products.data) {
    throw new Error(`products failed: ${products.response.status}`);
  }
  // Every product field is optional in the document: `?fields=` may leave any out.
  const items = products.data.items;

  const order = await api.POST('/v1/orders', {
    params: { header: { 'Idempotency-Key': idempotencyKey } },
    headers: { authorization },
    body: { items: [{ productId, quantity: 1 }] },
  });
  if (!order.data) {
    throw new Error(`order failed: ${order.response.status}`);
  }
  return {
    registered: registered.response.status,
    loggedIn: loggedIn.response.status,
    productCount: items.length,
    orderStatus: order.response.status,
    orderId: order.data.id,
    orderTotalCents: order.data.totalCents,
  };
}
