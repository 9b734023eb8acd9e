// (f) Inventory totals: the API's cached route under load against the same aggregate run
// uncached in psql (TTL 0 is not reachable over HTTP); the uncached side is its best
// case, the aggregate on all 10 pool connections at once.
import { spawnSync } from 'node:child_process';
import { ratio } from './report.mjs';
import { measureSides } from './scenarios.mjs';
import { log } from './servers.mjs';

const AGGREGATE_SQL = `SELECT COALESCE(SUM(on_hand),0), COALESCE(SUM(reserved),0) FROM stock_levels; SELECT p.currency, SUM(s.on_hand::bigint*p.price_cents) FROM stock_levels s JOIN products p ON p.id=s.product_id GROUP BY 1; SELECT w.id, SUM(s.on_hand) FROM warehouses w LEFT JOIN stock_levels s ON s.warehouse_id=w.id GROUP BY 1`;
const TARGET = 10;

export async function measureTotals({ port, pid, ctx, settings, databaseUrl }) {
  const scenario = { id: 'f', path: () => '/v1/inventory/totals', auth: 'adminToken' };
  const { api } = await measureSides(scenario, { api: { port, pid } }, ctx, settings);
  const runs = 5;
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) {
    const run = spawnSync('psql', [databaseUrl, '-Atc', AGGREGATE_SQL], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`scenario f: psql failed: ${run.stderr}`);
  }
  const aggregateMs = Number(process.hrtime.bigint() - started) / 1e6 / runs;
  const uncachedRps = 10 * (1000 / aggregateMs);
  log(`f totals: cached ${api.rps.median} req/s vs uncached at most ${Math.round(uncachedRps)} req/s`);
  const row = {
    kind: 'totals',
    scenario: 'f',
    name: 'inventory totals, cached route vs the uncached aggregate',
    api,
    reference: { rps: Math.round(uncachedRps), aggregateMs: Math.round(aggregateMs * 10) / 10 },
    ratio: Math.round(ratio(api.rps.median, uncachedRps)),
    target: TARGET,
  };
  row.met = row.ratio >= TARGET;
  return row;
}
