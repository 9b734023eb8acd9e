// `npm run bench:profile [-- a|b0|b|c|d|e]`: a CPU profile of the built API under one
// benchmark scenario (default b), with Node's own sampling profiler (--cpu-prof).
// Writes bench/profiles/<scenario>-<time>.cpuprofile (open it in Chrome DevTools or
// https://www.speedscope.app for the flame graph) and prints where the self time
// goes, by package and by function. Needs the benchmark database (`npm run bench`
// seeds it) and `npm run build`.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { benchApiEnv } from './api-env.mjs';
import { topUpStock, withDatabase } from './seed.mjs';
import { runWrk } from './wrk.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scenario = process.argv[2] ?? 'b';
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 10);
const PORT = 3920;
const SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';
const databaseUrl = withDatabase(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', 'commerce_bench');
const profileDir = path.join(root, 'bench/profiles');
mkdirSync(profileDir, { recursive: true });

const api = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${scenario}-${Date.now()}.cpuprofile`, 'dist/apps/api/src/main.js'], {
  cwd: root,
  // (e) runs with the broker, as in the benchmark: the jobs are the worker's, not the API's.
  env: { ...process.env, ...benchApiEnv({ port: PORT, databaseUrl, redisKeyPrefix: 'bench', jwtSecret: SECRET, amqpUrl: scenario === 'e' ? (process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672') : '' }) },
  stdio: 'inherit',
});
const base = `http://127.0.0.1:${PORT}`;
for (let i = 0; !(await fetch(`${base}/health/ready`).then((r) => r.ok, () => false)); i++) {
  if (i > 300) throw new Error('API not ready');
  await new Promise((r) => setTimeout(r, 250));
}
const email = `profile-${Date.now()}@bench.local`;
const { accessToken } = await (
  await fetch(`${base}/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'hazel-turbine-crater-27', name: 'Profile' }) })
).json();
const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
const [productId, deepId] = (await db.query('SELECT id FROM products ORDER BY id OFFSET 500 LIMIT 1')).rows
  .map((r) => r.id)
  .concat((await db.query('SELECT id FROM products ORDER BY id OFFSET 50000 LIMIT 1')).rows.map((r) => r.id));
const orderProducts = (await db.query('SELECT id FROM products WHERE active ORDER BY random() LIMIT 1000')).rows.map((r) => r.id);
await db.end();
const paths = {
  a: '/health/live',
  b: `/v1/products/${productId}`,
  b0: `/v1/products/${productId}`,
  c: '/v1/users/me',
  d: `/v1/products?limit=20&cursor=${Buffer.from(JSON.stringify([deepId, deepId])).toString('base64url')}`,
};
if (scenario === 'e') {
  // POST /v1/orders through wrk's Lua script, a fresh Idempotency-Key per request (as in the bench).
  const productsFile = path.join(profileDir, 'order-products.txt');
  writeFileSync(productsFile, `${orderProducts.join('\n')}\n`);
  await topUpStock(databaseUrl, orderProducts);
  const run = await runWrk({ url: base, seconds: SECONDS, script: path.join(root, 'bench/lua/orders.lua'), scriptArgs: [productsFile, accessToken, randomUUID(), '1'] });
  console.log(`[profile] scenario e: ${Math.round(run.rps)} orders/s under the profiler, statuses ${JSON.stringify(run.statuses ?? {})}`);
} else {
  const run = await autocannon({ url: `${base}${paths[scenario]}`, connections: 50, pipelining: 1, duration: SECONDS, headers: scenario === 'a' || scenario === 'b0' ? {} : { authorization: `Bearer ${accessToken}` } });
  console.log(`[profile] scenario ${scenario}: ${Math.round(run.requests.average)} req/s under the profiler, non-2xx ${run.non2xx}`);
}
api.kill('SIGTERM');
await new Promise((r) => api.once('exit', r));

const file = readdirSync(profileDir)
  .filter((name) => name.startsWith(`${scenario}-`))
  .map((name) => path.join(profileDir, name))
  .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
const profile = JSON.parse(readFileSync(file, 'utf8'));
// Self time per node: samples land on nodes; timeDeltas give each sample's duration.
const selfUs = new Map();
profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const byPackage = new Map();
const byFunction = new Map();
let total = 0;
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0) continue;
  total += us;
  const { url, functionName, lineNumber } = node.callFrame;
  const pkg = url.includes('node_modules/')
    ? url.split('node_modules/').pop().split('/').slice(0, url.split('node_modules/').pop().startsWith('@') ? 2 : 1).join('/')
    : url.startsWith('node:') || url === ''
      ? functionName.startsWith('(') ? functionName : `node ${url || '(native)'}`
      : url.includes('/dist/') ? `app ${url.split('/dist/')[1].split('/').slice(0, 3).join('/')}` : url;
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  const fn = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
}
const top = (map, n) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ name, '%': Math.round((us / total) * 1000) / 10 }));
console.log(`[profile] ${path.relative(root, file)}: self time by package`);
console.table(top(byPackage, 20));
console.log('[profile] self time by function');
console.table(top(byFunction, 25));
