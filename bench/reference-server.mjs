// The reference: plain Fastify + pg + node-redis (@redis/client) + jsonwebtoken with a
// KeyObject secret, in one file, doing the same work as each benchmark scenario with none
// of the framework. Every answer carries what the API's carries on every answer: the OWASP
// REST security headers and a fresh X-Request-Id (UUID v7, the API's generator).
// It is the practical limit for Node on this machine.
import { createSecretKey, randomUUID } from 'node:crypto';
import { createClient } from '@redis/client';
import Fastify from 'fastify';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';

/** The same set as libs/platform/src/http/security-headers.ts REST_SECURITY_HEADERS (bench/run.mjs checks it against the API's answer). */
const REST_SECURITY_HEADERS = Object.freeze({
  'cache-control': 'no-store',
  'content-security-policy': "frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
});

const port = Number(process.env.PORT ?? 3901);
const key = createSecretKey(Buffer.from(process.env.JWT_SECRET, 'utf8'));
const verifyOptions = { algorithms: ['HS256'], issuer: 'commerce-api', audience: 'commerce-api-clients' };
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const redis = createClient({ url: process.env.REDIS_URL });
await redis.connect();

const app = Fastify({ logger: false });

app.addHook('onRequest', (_request, reply, done) => {
  void reply.headers(REST_SECURITY_HEADERS).header('x-request-id', uuidv7());
  done();
});

function authenticate(request, reply) {
  const header = request.headers.authorization ?? '';
  try {
    return jwt.verify(header.slice(7), key, verifyOptions);
  } catch {
    reply.code(401).send({ code: 'AUTH_TOKEN_INVALID' });
    return undefined;
  }
}

const PRODUCT_SQL = `SELECT id, sku, name, description, price_cents AS "priceCents", currency, active, created_at AS "createdAt", updated_at AS "updatedAt" FROM products WHERE id = $1`;

app.get('/health/live', async () => ({ status: 'ok' }));

// (b0) anonymous and (b) authenticated cached GET: with a bearer token, verify it first;
// then the product from Redis in one GET (the database on a miss).
app.get('/v1/products/:id', async (request, reply) => {
  if (request.headers.authorization !== undefined && !authenticate(request, reply)) return;
  const cacheKey = `bench-ref:product:${request.params.id}`;
  const cached = await redis.get(cacheKey);
  if (cached) return reply.type('application/json; charset=utf-8').send(cached);
  const { rows } = await pool.query(PRODUCT_SQL, [request.params.id]);
  const body = JSON.stringify(rows[0]);
  await redis.set(cacheKey, body, { PX: 60_000 });
  return reply.type('application/json; charset=utf-8').send(body);
});

// (c) authenticated read by primary key, from the database.
app.get('/v1/users/me', async (request, reply) => {
  const claims = authenticate(request, reply);
  if (!claims) return;
  const { rows } = await pool.query('SELECT id, email, name, roles, status, created_at AS "createdAt", updated_at AS "updatedAt" FROM users WHERE id = $1', [claims.sub]);
  return rows[0];
});

// (d) a page deep in the product list by keyset cursor.
app.get('/v1/products', async (request) => {
  const limit = Number(request.query.limit ?? 20);
  const after = request.query.cursor ? JSON.parse(Buffer.from(request.query.cursor, 'base64url').toString())[1] : null;
  const { rows } = await pool.query(
    `SELECT id, sku, name, description, price_cents AS "priceCents", currency, active, created_at AS "createdAt", updated_at AS "updatedAt"
       FROM products WHERE active AND ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2`,
    [after, limit + 1],
  );
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? Buffer.from(JSON.stringify([items.at(-1).id, items.at(-1).id])).toString('base64url') : null };
});

// (e) place an order of one line: the same transaction as the API's (product read,
// order + line, stock reservation with its ledger row, outbox event), then 201.
app.post('/v1/orders', async (request, reply) => {
  const claims = authenticate(request, reply);
  if (!claims) return;
  const { productId, quantity } = request.body.items[0];
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const product = (await client.query('SELECT price_cents, currency FROM products WHERE id = $1 AND active', [productId])).rows[0];
    const orderId = randomUUID();
    const order = (
      await client.query(
        `INSERT INTO orders (id, user_id, status, total_cents, currency, idempotency_key) VALUES ($1, $2, 'placed', $3, $4, $5)
         RETURNING id, user_id AS "userId", status, total_cents AS "totalCents", currency, created_at AS "createdAt"`,
        [orderId, claims.sub, product.price_cents * quantity, product.currency, request.headers['idempotency-key']],
      )
    ).rows[0];
    await client.query('INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES ($1, $2, $3, $4)', [orderId, productId, quantity, product.price_cents]);
    const level = (
      await client.query(
        `SELECT s.warehouse_id FROM stock_levels s JOIN warehouses w ON w.id = s.warehouse_id
          WHERE s.product_id = $1 AND s.on_hand - s.reserved >= $2 ORDER BY w.code LIMIT 1 FOR UPDATE OF s`,
        [productId, quantity],
      )
    ).rows[0];
    if (!level) {
      await client.query('ROLLBACK');
      return reply.code(409).send({ code: 'INVENTORY_INSUFFICIENT' });
    }
    await client.query('UPDATE stock_levels SET reserved = reserved + $3, updated_at = now() WHERE product_id = $1 AND warehouse_id = $2', [productId, level.warehouse_id, quantity]);
    await client.query('INSERT INTO order_reservations (order_id, product_id, warehouse_id, quantity) VALUES ($1, $2, $3, $4)', [orderId, productId, level.warehouse_id, quantity]);
    await client.query(
      `INSERT INTO stock_movements (id, product_id, warehouse_id, on_hand_delta, reserved_delta, reason, order_id, actor_id) VALUES ($1, $2, $3, 0, $4, 'order.reserve', $5, $6)`,
      [randomUUID(), productId, level.warehouse_id, quantity, orderId, claims.sub],
    );
    const view = { ...order, items: [{ productId, quantity, unitPriceCents: product.price_cents }] };
    await client.query(`INSERT INTO outbox_messages (id, type, payload, occurred_at) VALUES ($1, 'order.placed', $2, now())`, [randomUUID(), view]);
    await client.query('COMMIT');
    return reply.code(201).send(view);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
});

await app.listen({ port, host: '127.0.0.1' });
process.send?.('ready');
console.log(`reference listening on ${port}`);
