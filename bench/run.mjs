// `npm run bench`: the built API against the reference server (bench/reference-server.mjs),
// scenario by scenario, the two alternating round by round in one invocation, on real
// PostgreSQL and Redis. Every server under test is pinned to CPU 0, the load generator
// (Debian's wrk) to CPU 1; PostgreSQL and Redis float. Method and figures:
// docs/performance.md. Needs `npm run build` first (the npm script does it), /usr/bin/wrk,
// psql, and the servers named by BENCH_DATABASE_URL and REDIS_URL.
//
// BENCH_ONLY=a,b0,c       a subset of the scenarios a b0 b c d e f g h (default: all)
// BENCH_ROUNDS=3          measured rounds per side and scenario
// BENCH_DURATION=6        seconds per round; BENCH_WARMUP=2 seconds of warm-up per side
// BENCH_PORT_BASE=3900    ports base..base+9
// BENCH_SKIP_SEED=1       the bench database is already seeded (skips the counts and ANALYZE)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { benchApiEnv } from './api-env.mjs';
import { measureCluster } from './cluster.mjs';
import { measureExport } from './export.mjs';
import { renderTable, writeResults } from './report.mjs';
import { runScenario, SCENARIOS } from './scenarios.mjs';
import { ensureDatabase, forgetAdmin, queryRows, seed, SIZES, topUpStock } from './seed.mjs';
import { log, root, rssMb, sleep, startPinned, waitReady } from './servers.mjs';
import { measureTotals } from './totals.mjs';
import { CONNECTIONS, requireWrk, TIMEOUT_SECONDS, WRK } from './wrk.mjs';

requireWrk();
if (os.cpus().length < 2) throw new Error('the method needs 2 CPUs: servers on CPU 0, wrk on CPU 1');

const ALL = ['a', 'b0', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((s) => s.trim()).filter(Boolean) : ALL;
const unknown = only.filter((id) => !ALL.includes(id));
if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown scenarios ${unknown.join(', ')} (known: ${ALL.join(' ')})`);
const selected = (id) => only.includes(id);
const settings = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  duration: Number(process.env.BENCH_DURATION ?? 6),
  warmup: Number(process.env.BENCH_WARMUP ?? 2),
};
const base = Number(process.env.BENCH_PORT_BASE ?? 3900);
// The machine is shared: its load when the run began goes into results.json with the figures.
const loadAverageAtStart = os.loadavg().map((n) => Math.round(n * 100) / 100);
const ports = {
  api: base,
  reference: base + 1,
  bareNest: base + 2,
  bareFastify: base + 3,
  oneWorker: base + 4,
  twoWorkers: base + 5,
  apiMetrics: base + 6,
  oneWorkerMetrics: base + 7,
  twoWorkersMetrics: base + 8, // and base + 9: each PM2 worker adds its instance number
};
const SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';
const ADMIN = { email: 'bench-admin@bench.local', password: 'cobalt-thistle-lagoon-19' };
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const databaseUrl = await ensureDatabase(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', 'commerce_bench');
await forgetAdmin(databaseUrl, ADMIN.email);
// The API as production runs it: with a broker, so the jobs (the outbox relay, the reports'
// projection of order events) are the worker app's, not the measured process's; (e) then
// compares the same transaction on both sides. BENCH_AMQP_URL= (empty) runs them in-process.
const amqpUrl = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const apiEnv = (port, metricsPort) => benchApiEnv({ port, metricsPort, databaseUrl, redisKeyPrefix: 'bench', jwtSecret: SECRET, admin: ADMIN, amqpUrl });
const plainEnv = (port) => ({ NODE_ENV: 'production', PORT: String(port), DATABASE_URL: databaseUrl, REDIS_URL, JWT_SECRET: SECRET });

const servers = [];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-'));
const stopAll = () => Promise.all(servers.splice(0).map((s) => s.stop()));
process.on('SIGINT', () => void stopAll().finally(() => process.exit(130)));

/** Both must send the same REST security headers and a fresh X-Request-Id per answer. */
async function checkHeaderParity() {
  const heads = async (port) => (await Promise.all([1, 2].map(() => fetch(`http://127.0.0.1:${port}/health/live`)))).map((r) => r.headers);
  const [api, reference] = [await heads(ports.api), await heads(ports.reference)];
  const names = ['cache-control', 'content-security-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options'];
  const differ = names.filter((name) => api[0].get(name) !== reference[0].get(name));
  if (differ.length > 0) throw new Error(`the reference's security headers differ from the API's: ${differ.join(', ')}`);
  for (const [side, pair] of Object.entries({ api, reference })) {
    if (!pair[0].get('x-request-id') || pair[0].get('x-request-id') === pair[1].get('x-request-id')) throw new Error(`${side}: no fresh X-Request-Id per answer`);
  }
}

async function post(port, url, body) {
  const res = await fetch(`http://127.0.0.1:${port}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

let failed = false;
try {
  const api = startPinned('dist/apps/api/src/main.js', apiEnv(ports.api, ports.apiMetrics), 'api');
  servers.push(api);
  await waitReady(api, `http://127.0.0.1:${ports.api}/health/ready`);
  if (process.env.BENCH_SKIP_SEED === '1') log('BENCH_SKIP_SEED=1: not seeding');
  else log(`seeded in ${(await seed(databaseUrl, log)) / 1000}s`);
  const reference = startPinned('bench/reference-server.mjs', plainEnv(ports.reference), 'reference');
  servers.push(reference);
  await waitReady(reference, `http://127.0.0.1:${ports.reference}/health/live`);
  await checkHeaderParity();

  const customer = await post(ports.api, '/v1/auth/register', { email: `bench-${Date.now()}@bench.local`, password: 'hazel-turbine-crater-27', name: 'Bench' });
  const admin = await post(ports.api, '/v1/auth/login', ADMIN);
  const [{ id: productId }] = await queryRows(databaseUrl, 'SELECT id FROM products ORDER BY id OFFSET 500 LIMIT 1');
  const [{ id: deepId }] = await queryRows(databaseUrl, 'SELECT id FROM products ORDER BY id OFFSET 50000 LIMIT 1');
  // (e) spreads its orders over 1,000 products, so no single stock row is a hot lock.
  const orderProducts = (await queryRows(databaseUrl, 'SELECT id FROM products WHERE active ORDER BY random() LIMIT 1000')).map((r) => r.id);
  const orderProductsFile = path.join(tmp, 'order-products.txt');
  writeFileSync(orderProductsFile, `${orderProducts.join('\n')}\n`);
  if (selected('e')) log(`e: ${await topUpStock(databaseUrl, orderProducts)} stock levels topped up`);
  const ctx = {
    productId,
    cursor: Buffer.from(JSON.stringify([deepId, deepId])).toString('base64url'),
    accessToken: customer.accessToken,
    adminToken: admin.accessToken,
    orderProductsFile,
  };

  await sleep(2000);
  const rss = { startMb: rssMb(api.pid), afterScenarioMb: {} };
  log(`API RSS after the set-up (ready, admin created, a customer registered and logged in, idle 2 s): ${rss.startMb} MB`);
  const afterScenario = (id) => {
    rss.afterScenarioMb[id] = rssMb(api.pid);
    log(`API RSS after ${id}: ${rss.afterScenarioMb[id]} MB`);
    return rss.afterScenarioMb[id];
  };
  const results = [];
  // A scenario that fails (an unexpected status, a socket error) is recorded and the run goes
  // on, so one failure does not lose the other figures; the run still exits 1 at the end.
  const attempt = async (id, name, measure) => {
    try {
      return await measure();
    } catch (error) {
      log(`!!! scenario ${id} FAILED: ${error.message}`);
      return { kind: 'failed', scenario: id, name, error: error.message };
    }
  };
  for (const scenario of SCENARIOS.filter((s) => selected(s.id))) {
    log(`${scenario.id}: ${scenario.name}`);
    const bare = [];
    if (scenario.floor) {
      bare.push(startPinned('bench/bare-nest.mjs', plainEnv(ports.bareNest), 'bare NestJS'), startPinned('bench/bare-fastify.mjs', plainEnv(ports.bareFastify), 'bare Fastify'));
      servers.push(...bare);
      await waitReady(bare[0], `http://127.0.0.1:${ports.bareNest}/health/live`);
      await waitReady(bare[1], `http://127.0.0.1:${ports.bareFastify}/health/live`);
    }
    const sides = { api: { port: ports.api, pid: api.pid }, reference: { port: ports.reference, pid: reference.pid } };
    if (bare.length > 0) Object.assign(sides, { bareNest: { port: ports.bareNest, pid: bare[0].pid }, bareFastify: { port: ports.bareFastify, pid: bare[1].pid } });
    const row = await attempt(scenario.id, scenario.name, () => runScenario(scenario, sides, ctx, settings));
    for (const server of bare) {
      await server.stop();
      servers.splice(servers.indexOf(server), 1);
    }
    row.rssAfterMb = afterScenario(scenario.id);
    results.push(row);
    if (row.kind === 'failed') continue;
    log(`${scenario.id}: ratio ${row.ratio} (target >= ${row.target}), p99 ratio ${row.p99Ratio}, per server CPU-s ${row.perCpuRatio}${row.floor ? `, API/bare NestJS ${row.floor.apiVsBareNest}, bare NestJS/Fastify ${row.floor.nestVsFastify}` : ''}`);
  }
  if (selected('f')) {
    results.push(await attempt('f', 'inventory totals', () => measureTotals({ port: ports.api, pid: api.pid, ctx, settings, databaseUrl })));
    results.at(-1).rssAfterMb = afterScenario('f');
  }
  // The request scenarios' highest RSS; (g) has figures of its own.
  rss.maxAfterLoadMb = Math.max(rss.startMb, ...Object.values(rss.afterScenarioMb));
  const stopServer = async (server) => {
    await server.stop();
    servers.splice(servers.indexOf(server), 1);
  };
  await stopServer(api);
  // (g) on a fresh API process of its own, ready and idle 2 s: its RSS growth is then the
  // export's alone (after the load above the heap has room already and hides it), and what
  // the export keeps does not count in the request scenarios' RSS either.
  if (selected('g')) {
    const fresh = startPinned('dist/apps/api/src/main.js', apiEnv(ports.api, ports.apiMetrics), 'api (fresh, for g)');
    servers.push(fresh);
    await waitReady(fresh, `http://127.0.0.1:${ports.api}/health/ready`);
    await sleep(2000);
    // The start figure: this process has served nothing yet and its admin exists already.
    // The first process's reading comes after the set-up (its admin created, a customer
    // registered: both run the password-strength worker, alive for 30 s after).
    rss.freshStartMb = rssMb(fresh.pid);
    log(`API RSS at start of a fresh process (ready, idle 2 s): ${rss.freshStartMb} MB`);
    results.push(await attempt('g', 'CSV export', () => measureExport({ port: ports.api, apiPid: fresh.pid, adminToken: ctx.adminToken, databaseUrl })));
    results.at(-1).rssAfterMb = rssMb(fresh.pid);
    await stopServer(fresh);
  }
  if (selected('h')) {
    results.push(await attempt('h', 'PM2 cluster', () => measureCluster({ apiEnv, ports, ctx, settings })));
  }

  const wrkVersion = spawnSync(WRK, ['-v'], { encoding: 'utf8' }).stdout.split(' Copyright')[0].trim();
  const full = only.length === ALL.length;
  // A subset run must not overwrite the committed figures of the last full run.
  const file = path.join(root, full ? 'bench/results.json' : 'bench/results-only.json');
  writeResults(file, {
    settings: {
      ...settings,
      only,
      connections: CONNECTIONS,
      loadGenerator: `${wrkVersion}, -t1 -c${CONNECTIONS} --timeout ${TIMEOUT_SECONDS}s --latency, taskset -c 1`,
      serversPinnedTo: 'CPU 0 (taskset -c 0); PostgreSQL and Redis float; PM2 workers of (h) float',
      dataSet: SIZES,
      loadAverageAtStart,
    },
    rss,
    results,
  });
  console.log(`\n${renderTable({ results, rss })}\n`);
  log(`written to ${path.relative(root, file)}`);
  const failures = results.filter((r) => r.kind === 'failed');
  if (failures.length > 0) {
    failed = true;
    console.error(`\n[bench] FAILED scenarios:\n${failures.map((r) => `  (${r.scenario}) ${r.error}`).join('\n')}`);
  }
} catch (error) {
  failed = true;
  console.error(`[bench] FAILED: ${error.stack ?? error}`);
} finally {
  await stopAll();
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
