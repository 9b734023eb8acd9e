// `npm run bench`: the built API against the reference server (bench/reference-server.mjs),
// scenario by scenario, A/B alternately in one invocation, on real PostgreSQL and Redis.
// Needs `npm run build` first (the npm script does it) and the servers named by
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432) and REDIS_URL.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { benchApiEnv } from './api-env.mjs';
import { ensureDatabase, forgetAdmin, seed, SIZES } from './seed.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = 50;
const SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';
const ADMIN = { email: 'bench-admin@bench.local', password: 'cobalt-thistle-lagoon-19' };
const log = (message) => console.log(`[bench] ${message}`);

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const databaseUrl = await ensureDatabase(serverUrl, 'commerce_bench');
await forgetAdmin(databaseUrl, ADMIN.email);

function start(script, env, name) {
  const child = spawn(process.execPath, [script], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  child.on('exit', (code) => code && code !== 0 && code !== null && log(`${name} exited ${code}: ${output.slice(-2000)}`));
  return { child, output: () => output };
}

async function waitReady(url, ms = 90_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready: ${url}`);
}

const apiEnv = benchApiEnv({ port: 3900, databaseUrl, redisKeyPrefix: 'bench', jwtSecret: SECRET, admin: ADMIN });
const api = start('dist/apps/api/src/main.js', apiEnv, 'api');
const cleanup = () => {
  api.child.kill('SIGTERM');
  reference?.child.kill('SIGTERM');
};
process.on('exit', cleanup);
let reference;
try {
  await waitReady('http://127.0.0.1:3900/health/ready');
  log(`seeded in ${(await seed(databaseUrl, log)) / 1000}s`);
  reference = start('bench/reference-server.mjs', { PORT: '3901', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, JWT_SECRET: SECRET }, 'reference');
  await waitReady('http://127.0.0.1:3901/health/live');

  const post = (url, body, headers = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then((r) => r.json());
  const email = `bench-${Date.now()}@bench.local`;
  const customer = await post('http://127.0.0.1:3900/v1/auth/register', { email, password: 'hazel-turbine-crater-27', name: 'Bench' });
  const admin = await post('http://127.0.0.1:3900/v1/auth/login', ADMIN);
  const bearer = { authorization: `Bearer ${customer.accessToken}` };
  const adminBearer = { authorization: `Bearer ${admin.accessToken}` };

  const psql = (sql) => spawnSync('psql', [databaseUrl, '-Atc', sql], { encoding: 'utf8' }).stdout.trim();
  const productId = psql(`SELECT id FROM products ORDER BY id OFFSET 500 LIMIT 1`);
  const deepId = psql(`SELECT id FROM products ORDER BY id OFFSET 50000 LIMIT 1`);
  const cursor = Buffer.from(JSON.stringify([deepId, deepId])).toString('base64url');

  const results = [];
  // (g) first, while the API process is fresh: the 1,000,000-row CSV export against psql
  // \copy of the same query, with the API's RSS sampled against its idle RSS.
  const pid = api.child.pid;
  const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  await new Promise((r) => setTimeout(r, 1000));
  const idleRss = rssMb();
  let peakRss = idleRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb())), 50);
  const exportStarted = process.hrtime.bigint();
  const { rows: exportedRows, bytes } = await new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: 3900, path: '/v1/reports/orders.csv?from=2024-01-01T00:00:00Z&to=2030-01-01T00:00:00Z', headers: adminBearer }, (res) => {
        let rows = -1;
        let bytes = 0;
        res.on('data', (chunk) => {
          bytes += chunk.length;
          for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) rows++;
        });
        res.on('end', () => resolve({ rows, bytes }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
  const exportMs = Number(process.hrtime.bigint() - exportStarted) / 1e6;
  clearInterval(sampler);
  const copyStarted = process.hrtime.bigint();
  spawnSync('sh', ['-c', `psql "${databaseUrl}" -c "\\copy (SELECT o.id, o.user_id, o.status, (SELECT COALESCE(SUM(i.quantity),0) FROM order_items i WHERE i.order_id = o.id), o.total_cents, o.currency, o.created_at FROM orders o WHERE o.created_at >= '2024-01-01' AND o.created_at < '2030-01-01' ORDER BY o.created_at, o.id) to stdout csv" > /dev/null`]);
  const copyMs = Number(process.hrtime.bigint() - copyStarted) / 1e6;
  results.push({
    scenario: 'g',
    name: `CSV export of ${exportedRows.toLocaleString('en')} orders vs psql \\copy`,
    api: { wallMs: Math.round(exportMs), rowsPerSecond: Math.round(exportedRows / (exportMs / 1000)), bytes, idleRssMb: Math.round(idleRss), peakRssMb: Math.round(peakRss), rssGrowthMb: Math.round(peakRss - idleRss) },
    reference: { wallMs: Math.round(copyMs) },
    ratio: Math.round((exportMs / copyMs) * 100) / 100,
    target: '<= 1.5 (wall time), RSS growth <= 100 MB',
    met: exportMs / copyMs <= 1.5 && peakRss - idleRss <= 100,
  });
  log(`g export: ${exportedRows} rows in ${Math.round(exportMs)} ms (${Math.round(exportedRows / (exportMs / 1000))} rows/s), psql ${Math.round(copyMs)} ms, RSS ${Math.round(idleRss)} -> ${Math.round(peakRss)} MB`);

  const scenarios = [
    { id: 'a', name: 'GET /health/live', target: 0.85, path: '/health/live' },
    { id: 'b', name: 'authenticated cached GET /v1/products/:id', target: 0.8, path: `/v1/products/${productId}`, headers: bearer },
    { id: 'c', name: 'authenticated primary-key read GET /v1/users/me', target: 0.75, path: '/v1/users/me', headers: bearer },
    { id: 'd', name: 'GET /v1/products?limit=20, page 2,500 via cursor', target: 0.7, path: `/v1/products?limit=20&cursor=${cursor}` },
  ];
  const load = (port, s, duration) =>
    autocannon({ url: `http://127.0.0.1:${port}${s.path}`, connections: CONNECTIONS, pipelining: 1, duration, headers: s.headers ?? {} });
  for (const s of scenarios) {
    await load(3900, s, WARMUP);
    await load(3901, s, WARMUP);
    const apiRun = await load(3900, s, DURATION);
    const refRun = await load(3901, s, DURATION);
    const row = {
      scenario: s.id,
      name: s.name,
      api: { rps: apiRun.requests.average, p50: apiRun.latency.p50, p99: apiRun.latency.p99, non2xx: apiRun.non2xx, errors: apiRun.errors },
      reference: { rps: refRun.requests.average, p50: refRun.latency.p50, p99: refRun.latency.p99, non2xx: refRun.non2xx, errors: refRun.errors },
      ratio: Math.round((apiRun.requests.average / refRun.requests.average) * 100) / 100,
      target: `>= ${s.target}`,
    };
    row.met = row.ratio >= s.target;
    if (apiRun.non2xx > 0 || apiRun.errors > 0) {
      throw new Error(`scenario ${s.id}: ${apiRun.non2xx} non-2xx and ${apiRun.errors} errors from the API`);
    }
    results.push(row);
    log(`${s.id} ${s.name}: api ${row.api.rps} req/s, reference ${row.reference.rps} req/s, ratio ${row.ratio}`);
  }

  // (e) POST /v1/orders with stock: one line of a random product (1,000 of them, so rows
  // are not one hot lock), a fresh Idempotency-Key per request. 409s are allowed only
  // once stock runs out.
  const orderProducts = psql(`SELECT id FROM products ORDER BY random() LIMIT 1000`).split('\n');
  const orderScenario = {
    id: 'e',
    name: 'POST /v1/orders (1 line, with stock)',
    target: null,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({
          ...req,
          path: '/v1/orders',
          headers: { ...bearer, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: JSON.stringify({ items: [{ productId: orderProducts[Math.floor(Math.random() * orderProducts.length)], quantity: 1 }] }),
        }),
      },
    ],
  };
  const loadOrders = (port, duration) => autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, pipelining: 1, duration, requests: orderScenario.requests });
  await loadOrders(3900, WARMUP);
  await loadOrders(3901, WARMUP);
  const apiOrders = await loadOrders(3900, DURATION);
  const refOrders = await loadOrders(3901, DURATION);
  const unexpected = (run) => run.non2xx - (run.statusCodeStats['409']?.count ?? 0) + run.errors;
  if (unexpected(apiOrders) > 0) {
    throw new Error(`scenario e: ${unexpected(apiOrders)} unexpected non-2xx/errors from the API: ${JSON.stringify(apiOrders.statusCodeStats)}`);
  }
  results.push({
    scenario: 'e',
    name: orderScenario.name,
    api: { rps: apiOrders.requests.average, p50: apiOrders.latency.p50, p99: apiOrders.latency.p99, non2xx: apiOrders.non2xx, conflicts: apiOrders.statusCodeStats['409']?.count ?? 0 },
    reference: { rps: refOrders.requests.average, p50: refOrders.latency.p50, p99: refOrders.latency.p99, non2xx: refOrders.non2xx },
    ratio: Math.round((apiOrders.requests.average / refOrders.requests.average) * 100) / 100,
    target: '(no target; reported)',
    met: true,
  });
  log(`e orders: api ${apiOrders.requests.average} req/s, reference ${refOrders.requests.average} req/s`);

  // (f) inventory totals: the cached route against the same aggregate uncached (TTL 0 not
  // possible over HTTP, so the uncached side is the route right after an invalidation).
  const totals = { id: 'f', name: 'GET /v1/inventory/totals cached', path: '/v1/inventory/totals', headers: adminBearer };
  await load(3900, totals, WARMUP);
  const cachedRun = await load(3900, totals, DURATION);
  const sqlStarted = process.hrtime.bigint();
  const rounds = 5;
  for (let i = 0; i < rounds; i++) {
    psql(`SELECT COALESCE(SUM(on_hand),0), COALESCE(SUM(reserved),0) FROM stock_levels; SELECT p.currency, SUM(s.on_hand::bigint*p.price_cents) FROM stock_levels s JOIN products p ON p.id=s.product_id GROUP BY 1; SELECT w.id, SUM(s.on_hand) FROM warehouses w LEFT JOIN stock_levels s ON s.warehouse_id=w.id GROUP BY 1`);
  }
  const uncachedMs = Number(process.hrtime.bigint() - sqlStarted) / 1e6 / rounds;
  const uncachedRps = 10 * (1000 / uncachedMs); // the aggregate on 10 pool connections, at best
  results.push({
    scenario: 'f',
    name: 'inventory totals: cached route vs the uncached aggregate (10 connections, best case)',
    api: { rps: cachedRun.requests.average, p50: cachedRun.latency.p50, p99: cachedRun.latency.p99, non2xx: cachedRun.non2xx },
    reference: { rps: Math.round(uncachedRps), note: `aggregate SQL ${uncachedMs.toFixed(1)} ms per run` },
    ratio: Math.round((cachedRun.requests.average / uncachedRps) * 10) / 10,
    target: '>= 10',
  });
  results.at(-1).met = results.at(-1).ratio >= 10;
  log(`f totals: cached ${cachedRun.requests.average} req/s vs uncached at most ${Math.round(uncachedRps)} req/s`);

  // (h) PM2 cluster mode: 2 workers against 1 on scenario (b), the project's own
  // ecosystem file under a private PM2 daemon.
  api.child.kill('SIGTERM');
  await new Promise((r) => api.child.once('exit', r));
  const pm2Home = mkdtempSync(path.join(os.tmpdir(), 'bench-pm2-'));
  const pm2 = (instances, ...args) =>
    spawnSync(process.execPath, [path.join(root, 'node_modules/pm2/bin/pm2'), ...args], {
      cwd: root,
      env: { ...process.env, ...apiEnv, PORT: '3902', PM2_HOME: pm2Home, API_INSTANCES: String(instances) },
      encoding: 'utf8',
    });
  const clusterRun = async (instances) => {
    pm2(instances, 'delete', 'all');
    pm2(instances, 'start', 'ecosystem.config.js', '--only', 'api');
    await waitReady('http://127.0.0.1:3902/health/ready');
    const b = scenarios.find((x) => x.id === 'b');
    await load(3902, b, WARMUP);
    return load(3902, b, DURATION);
  };
  try {
    const one = await clusterRun(1);
    const two = await clusterRun(2);
    if (two.non2xx > 0 || two.errors > 0 || one.non2xx > 0 || one.errors > 0) {
      throw new Error(`scenario h: non-2xx or errors (1 worker: ${one.non2xx}/${one.errors}, 2 workers: ${two.non2xx}/${two.errors})`);
    }
    const ratio = Math.round((two.requests.average / one.requests.average) * 100) / 100;
    results.push({
      scenario: 'h',
      name: `PM2 cluster, 2 workers vs 1, scenario (b), ${os.cpus().length} cores (autocannon on the same cores)`,
      api: { rps: two.requests.average, p50: two.latency.p50, p99: two.latency.p99 },
      reference: { rps: one.requests.average, p50: one.latency.p50, p99: one.latency.p99, note: '1 worker' },
      ratio,
      target: '>= 1.3',
      met: ratio >= 1.3,
    });
    log(`h cluster: 2 workers ${two.requests.average} req/s vs 1 worker ${one.requests.average} req/s (${ratio}x)`);
  } finally {
    pm2(1, 'kill');
    rmSync(pm2Home, { recursive: true, force: true });
  }

  const report = {
    ranAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    settings: { connections: CONNECTIONS, pipelining: 1, warmupSeconds: WARMUP, durationSeconds: DURATION, dataSet: SIZES },
    results,
  };
  writeFileSync(path.join(root, 'bench/results.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('\n| scenario | API | reference | ratio | target | met |\n| --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    const a = r.api.rps !== undefined ? `${Math.round(r.api.rps)} req/s (p50 ${r.api.p50} ms, p99 ${r.api.p99} ms)` : `${r.api.wallMs} ms, ${r.api.rowsPerSecond} rows/s, RSS +${r.api.rssGrowthMb} MB`;
    const b = r.reference.rps !== undefined ? `${Math.round(r.reference.rps)} req/s${r.reference.p50 !== undefined ? ` (p50 ${r.reference.p50} ms, p99 ${r.reference.p99} ms)` : ''}` : `${r.reference.wallMs} ms`;
    console.log(`| (${r.scenario}) ${r.name} | ${a} | ${b} | ${r.ratio} | ${r.target} | ${r.met ? 'yes' : 'no'} |`);
  }
} finally {
  cleanup();
}
process.exit(0);
