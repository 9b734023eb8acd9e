// The reference: plain Fastify + pg + the same Redis client and JWT library as the API,
// in one file, doing the same work as each benchmark scenario with none of the
// framework. It is the practical limit for Node on this machine.
import { createSecretKey } from 'node:crypto';
import { createClient } from '@redis/client';
import Fastify from 'fastify';
import jwt from 'jsonwebtoken';
import pg from 'pg';

const port = Number(process.env.PORT ?? 3901);
const key = createSecretKey(Buffer.from(process.env.JWT_SECRET, 'utf8'));
const verifyOptions = { algorithms: ['HS256'], issuer: 'commerce-api', audience: 'commerce-api-clients' };
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const redis = createClient({ url: process.env.REDIS_URL });
await redis.connect();

const app = Fastify({ logger: false });

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

// (b) authenticated cached GET: verify the token, then the product from Redis (DB on a miss).
app.get('/v1/products/:id', async (request, reply) => {
  if (!authenticate(request, reply)) return;
  const cacheKey = `bench-ref:product:${request.params.id}`;
  const cached = await redis.get(cacheKey);
  if (cached) return reply.type('application/json').send(cached);
  const { rows } = await pool.query(PRODUCT_SQL, [request.params.id]);
  const body = JSON.stringify(rows[0]);
  await redis.set(cacheKey, body, { PX: 60_000 });
  return reply.type('application/json').send(body);
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

await app.listen({ port, host: '127.0.0.1' });
process.send?.('ready');
console.log(`reference listening on ${port}`);
