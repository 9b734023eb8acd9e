// `npm run soak`: mixed traffic against the built API (one process) on real
// PostgreSQL and Redis, at 80 % of the saturation rate measured with the same mix
// first, for SOAK_SECONDS (default 300; CI runs a short form). Reports p50/p99,
// the error rate and RSS sampled every SOAK_SAMPLE_SECONDS, fails on any error or
// non-2xx answer, on an RSS growth trend (a leak), or on a broken stock ledger.
// Results go to bench/soak-results.json.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { benchApiEnv } from './api-env.mjs';
import { ensureDatabase, withDatabase } from './seed.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.SOAK_SECONDS ?? 300);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 50);
const PORT = Number(process.env.SOAK_PORT ?? 3910);
const SECRET = 'soak-secret-that-is-long-enough-for-hs256-0123456789';
const ADMIN = { email: 'soak-admin@soak.local', password: 'granite-pelican-sonnet-36' };
const log = (message) => console.log(`[soak] ${message}`);

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseName = `commerce_soak_${Date.now()}`;
const databaseUrl = await ensureDatabase(serverUrl, databaseName);
const base = `http://127.0.0.1:${PORT}`;

// With the V8 flags production uses (package.json config.nodeFlags), as npm start and PM2 do.
const nodeFlags = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).config.nodeFlags.split(' ').filter(Boolean);
const api = spawn(process.execPath, [...nodeFlags, 'dist/apps/api/src/main.js'], {
  cwd: root,
  env: { ...process.env, ...benchApiEnv({ port: PORT, databaseUrl, redisKeyPrefix: databaseName, jwtSecret: SECRET, admin: ADMIN }) },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${api.pid}/status`, 'utf8'))[1]) / 1024;

async function call(method, url, body, token, headers = {}) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];

let exitCode = 1;
try {
  const deadline = Date.now() + 90_000;
  while (!(await fetch(`${base}/health/ready`).then((r) => r.ok, () => false))) {
    if (Date.now() > deadline) throw new Error('API not ready');
    await new Promise((r) => setTimeout(r, 250));
  }

  // A small catalogue with plenty of stock, booked through the API so the ledger is complete.
  const admin = (await call('POST', '/v1/auth/login', ADMIN)).accessToken;
  const warehouses = [];
  for (const code of ['SOAK-A', 'SOAK-B']) warehouses.push((await call('POST', '/v1/warehouses', { code, name: code }, admin)).id);
  const products = [];
  for (let n = 0; n < 50; n++) {
    const product = await call('POST', '/v1/products', { sku: `SOAK-${n}`, name: `Soak product ${n}`, priceCents: 500 + n, currency: 'EUR' }, admin);
    products.push(product.id);
    for (const warehouseId of warehouses) {
      await call('POST', '/v1/inventory/adjustments', { productId: product.id, warehouseId, delta: 1_000_000, reason: 'soak stock' }, admin);
    }
  }
  const customers = [];
  for (let n = 0; n < 20; n++) {
    customers.push((await call('POST', '/v1/auth/register', { email: `soak-${n}-${randomUUID().slice(0, 6)}@soak.local`, password: 'russet-kiln-marmot-85', name: 'Soak' })).accessToken);
  }

  // 20 slots: 70 % catalog reads, 15 % authenticated reads, 10 % orders, 5 % admin writes.
  const catalogList = { method: 'GET', path: '/v1/products?limit=20' };
  const catalogItem = { method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/products/${pick(products)}` }) };
  const me = { method: 'GET', setupRequest: (req) => ({ ...req, path: '/v1/users/me', headers: { authorization: `Bearer ${pick(customers)}` } }) };
  const myOrders = { method: 'GET', setupRequest: (req) => ({ ...req, path: '/v1/orders?limit=10', headers: { authorization: `Bearer ${pick(customers)}` } }) };
  const order = {
    method: 'POST',
    setupRequest: (req) => ({
      ...req,
      path: '/v1/orders',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${pick(customers)}`, 'idempotency-key': randomUUID() },
      body: JSON.stringify({ items: [{ productId: pick(products), quantity: 1 }] }),
    }),
  };
  const adminWrite = {
    method: 'POST',
    setupRequest: (req) => ({
      ...req,
      path: '/v1/inventory/adjustments',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ productId: pick(products), warehouseId: pick(warehouses), delta: 1, reason: 'soak restock' }),
    }),
  };
  const mix = [
    ...Array(5).fill(catalogList),
    ...Array(9).fill(catalogItem),
    ...Array(2).fill(me),
    myOrders,
    ...Array(2).fill(order),
    adminWrite,
  ];
  const run = (options) => autocannon({ url: base, connections: CONNECTIONS, pipelining: 1, requests: mix, ...options });

  log('measuring the saturation rate of the mix (8 s)');
  const saturation = await run({ duration: 8 });
  const rate = Math.floor(saturation.requests.average * 0.8);
  log(`saturation ${Math.round(saturation.requests.average)} req/s; soaking at ${rate} req/s for ${SECONDS} s`);

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const ordersBefore = Number((await db.query('SELECT count(*) AS n FROM orders')).rows[0].n);
  const samples = [];
  const started = Date.now();
  const sampler = setInterval(() => samples.push({ s: Math.round((Date.now() - started) / 1000), rssMb: Math.round(rssMb()) }), SAMPLE_SECONDS * 1000);
  const soak = await run({ duration: SECONDS, overallRate: rate });
  clearInterval(sampler);

  // The ledger: every stock level equals the sum of its movements, within bounds;
  // and every order the soak placed is in the database once.
  const broken = Number(
    (
      await db.query(`
        SELECT count(*) AS n FROM stock_levels s
         WHERE s.on_hand <> (SELECT COALESCE(SUM(m.on_hand_delta), 0) FROM stock_movements m WHERE m.product_id = s.product_id AND m.warehouse_id = s.warehouse_id)
            OR s.reserved <> (SELECT COALESCE(SUM(m.reserved_delta), 0) FROM stock_movements m WHERE m.product_id = s.product_id AND m.warehouse_id = s.warehouse_id)
            OR s.reserved < 0 OR s.reserved > s.on_hand`)
    ).rows[0].n,
  );
  const reservedVsOrders = (
    await db.query(`
      SELECT (SELECT COALESCE(SUM(reserved), 0) FROM stock_levels)::bigint AS reserved,
             (SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.status = 'placed')::bigint AS ordered`)
  ).rows[0];
  const ordersInDb = Number((await db.query('SELECT count(*) AS n FROM orders')).rows[0].n) - ordersBefore;
  await db.end();

  // Leak check: RSS of the last third against the middle third. The first third is
  // warm-up: V8 grows its heap for the first ~30 s of load, then RSS is flat (a
  // 150 s run: 414 -> 481 MB in 30 s, then 482 -> 484 MB over the next 120 s).
  const third = Math.max(1, Math.floor(samples.length / 3));
  const mean = (list) => list.reduce((sum, s) => sum + s.rssMb, 0) / Math.max(1, list.length);
  const early = mean(samples.slice(third, 2 * third));
  const late = mean(samples.slice(-third));
  const growthMb = Math.round(late - early);
  const leak = samples.length >= 3 && growthMb > Math.max(20, early * 0.1);

  const errors = soak.errors + soak.timeouts;
  const total = soak.requests.total;
  const result = {
    at: new Date().toISOString(),
    seconds: SECONDS,
    saturationRps: Math.round(saturation.requests.average),
    rateRps: rate,
    requests: total,
    achievedRps: Math.round(soak.requests.average),
    p50Ms: soak.latency.p50,
    p99Ms: soak.latency.p99,
    errors,
    non2xx: soak.non2xx,
    errorRate: total ? (errors + soak.non2xx) / total : 0,
    statusCodes: Object.fromEntries(Object.entries(soak.statusCodeStats).map(([code, s]) => [code, s.count])),
    rss: { samples, earlyMb: Math.round(early), lateMb: Math.round(late), growthMb, leak },
    ledger: { brokenStockLevels: broken, reserved: Number(reservedVsOrders.reserved), orderedUnits: Number(reservedVsOrders.ordered), ordersInDb },
  };
  writeFileSync(path.join(root, 'bench/soak-results.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.table({
    'saturation req/s': result.saturationRps,
    'soak rate req/s': result.rateRps,
    'achieved req/s': result.achievedRps,
    requests: total,
    'p50 ms': result.p50Ms,
    'p99 ms': result.p99Ms,
    'errors + non-2xx': errors + soak.non2xx,
    'RSS early -> late MB': `${result.rss.earlyMb} -> ${result.rss.lateMb}`,
    'ledger broken rows': broken,
    'reserved = ordered units': `${result.ledger.reserved} = ${result.ledger.orderedUnits}`,
  });
  const failures = [];
  if (errors + soak.non2xx > 0) failures.push(`${errors} errors and ${soak.non2xx} non-2xx answers`);
  if (leak) failures.push(`RSS grew ${growthMb} MB from the first to the last third`);
  if (broken > 0) failures.push(`${broken} stock levels disagree with the ledger`);
  if (result.ledger.reserved !== result.ledger.orderedUnits) failures.push('reserved stock differs from the units of placed orders');
  if (failures.length > 0) {
    log(`FAILED: ${failures.join('; ')}`);
  } else {
    log('passed: no errors, no RSS growth trend, ledger consistent');
    exitCode = 0;
  }
} catch (error) {
  log(`failed: ${error instanceof Error ? error.stack : error}`);
} finally {
  api.kill('SIGTERM');
  await new Promise((resolve) => api.once('exit', resolve));
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  await admin.end();
}
process.exit(exitCode);
