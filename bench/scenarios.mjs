// The request scenarios (a)–(e) and how one is measured: a warm-up per side, then
// BENCH_ROUNDS rounds, the sides alternating round by round (the order rotates each
// round, so a drift of the shared machine does not always favour the side run first).
import { randomInt, randomUUID } from 'node:crypto';
import path from 'node:path';
import { ratio, summarize } from './report.mjs';
import { cpuSeconds, log, root } from './servers.mjs';
import { runWrk } from './wrk.mjs';

/** ctx: { productId, cursor, accessToken, adminToken, orderProductsFile } from bench/run.mjs; `auth` names the token. */
export const SCENARIOS = [
  { id: 'a', name: 'GET /health/live', target: 0.75, path: () => '/health/live', floor: { target: 0.9 } },
  { id: 'b0', name: 'anonymous cached GET /v1/products/:id', target: 0.7, path: (ctx) => `/v1/products/${ctx.productId}` },
  { id: 'b', name: 'authenticated cached GET /v1/products/:id', target: 0.65, path: (ctx) => `/v1/products/${ctx.productId}`, auth: 'accessToken' },
  { id: 'c', name: 'authenticated GET /v1/users/me', target: 0.7, path: () => '/v1/users/me', auth: 'accessToken' },
  { id: 'd', name: 'GET /v1/products?limit=20, 2,500 pages deep via cursor', target: 0.9, path: (ctx) => `/v1/products?limit=20&cursor=${ctx.cursor}` },
  { id: 'e', name: 'POST /v1/orders, one line, fresh Idempotency-Key', target: 0.8, path: () => '', orders: true },
];
export const P99_RATIO_TARGET = 2;

/** The wrk options for one side of a scenario. */
function wrkOptions(scenario, port, ctx, seconds) {
  const base = `http://127.0.0.1:${port}`;
  if (scenario.orders) {
    return {
      url: base,
      seconds,
      script: path.join(root, 'bench/lua/orders.lua'),
      scriptArgs: [ctx.orderProductsFile, ctx.accessToken, randomUUID(), String(randomInt(2 ** 31))],
    };
  }
  return { url: `${base}${scenario.path(ctx)}`, seconds, headers: scenario.auth ? { Authorization: `Bearer ${ctx[scenario.auth]}` } : {} };
}

/**
 * A run is wrong, not slow, when a GET answers anything but 2xx/3xx or a socket fails;
 * an order may also meet 409 (stock ran out). Fails the whole benchmark loudly.
 */
function check(scenario, sideName, run) {
  const allowed = scenario.orders ? (run.statuses?.['409'] ?? 0) : 0;
  if (scenario.orders) {
    const unexpected = Object.entries(run.statuses ?? {}).filter(([code]) => !(code.startsWith('2') || code === '409'));
    if (unexpected.length > 0 || !run.statuses) {
      throw new Error(`scenario ${scenario.id}: ${sideName} answered ${JSON.stringify(run.statuses)} (only 2xx and 409 are allowed)`);
    }
  }
  if (run.non2xx - allowed > 0 || run.socketErrors > 0) {
    throw new Error(
      `scenario ${scenario.id}: ${sideName} gave ${run.non2xx - allowed} non-2xx answers and ${run.socketErrors} socket errors ${JSON.stringify(run.errors)} in ${run.requests} requests`,
    );
  }
}

/** One wrk run on a side, with the CPU time its server used during it when its pid is known. */
async function measureOnce(scenario, side, ctx, seconds) {
  const before = side.pid ? cpuSeconds(side.pid) : undefined;
  const run = await runWrk(wrkOptions(scenario, side.port, ctx, seconds));
  if (side.pid) {
    const used = cpuSeconds(side.pid) - before;
    run.serverCpuSeconds = Math.round(used * 100) / 100;
    run.requestsPerCpuSecond = Math.round(run.requests / used);
  }
  return run;
}

/**
 * Measures `scenario` on every side ({ name: { port, pid } }), first side first in round 1,
 * then rotating. Returns the per-side summaries (median, spread, p50/p99, every round).
 */
export async function measureSides(scenario, sides, ctx, { warmup, duration, rounds }) {
  const names = Object.keys(sides);
  for (const name of names) {
    check(scenario, name, await measureOnce(scenario, sides[name], ctx, warmup));
  }
  const perSide = Object.fromEntries(names.map((name) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const name of order) {
      const run = await measureOnce(scenario, sides[name], ctx, duration);
      check(scenario, name, run);
      perSide[name].push(run);
      const perCpu = run.requestsPerCpuSecond ? `, ${run.requestsPerCpuSecond} req per server CPU-s` : '';
      log(`  ${scenario.id} round ${r + 1} ${name}: ${Math.round(run.rps)} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms${perCpu}`);
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarize(perSide[name])]));
}

/**
 * One throughput scenario's result row: API against the reference (and, for (a), the bare
 * apps). `servers` maps each side to { port, pid }.
 */
export async function runScenario(scenario, servers, ctx, settings) {
  const sides = { api: servers.api, reference: servers.reference };
  if (scenario.floor) Object.assign(sides, { bareNest: servers.bareNest, bareFastify: servers.bareFastify });
  const measured = await measureSides(scenario, sides, ctx, settings);
  const { api, reference } = measured;
  const row = {
    kind: 'throughput',
    scenario: scenario.id,
    name: scenario.name,
    target: scenario.target,
    p99Target: P99_RATIO_TARGET,
    sides: { api, reference },
    ratio: ratio(api.rps.median, reference.rps.median),
    p99Ratio: ratio(api.p99Ms, reference.p99Ms),
    perCpuRatio: ratio(api.requestsPerCpuSecond, reference.requestsPerCpuSecond),
  };
  row.met = { ratio: row.ratio >= scenario.target, p99: row.p99Ratio <= P99_RATIO_TARGET };
  if (scenario.orders) {
    const conflicts = (side) => side.rounds.reduce((sum, run) => sum + (run.statuses?.['409'] ?? 0), 0);
    row.conflicts = { api: conflicts(api), reference: conflicts(reference) };
  }
  if (scenario.floor) {
    const { bareNest, bareFastify } = measured;
    row.floor = {
      target: scenario.floor.target,
      sides: { bareNest, bareFastify },
      apiVsBareNest: ratio(api.rps.median, bareNest.rps.median),
      nestVsFastify: ratio(bareNest.rps.median, bareFastify.rps.median),
      apiVsBareNestPerCpu: ratio(api.requestsPerCpuSecond, bareNest.requestsPerCpuSecond),
      nestVsFastifyPerCpu: ratio(bareNest.requestsPerCpuSecond, bareFastify.requestsPerCpuSecond),
    };
    row.floor.met = row.floor.apiVsBareNest >= scenario.floor.target;
  }
  return row;
}
