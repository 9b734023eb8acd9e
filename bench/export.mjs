// (g) The 1,000,000-row CSV export of the API against `psql \copy` of the same query:
// wall time, and the API's RSS sampled every 50 ms against its RSS before the export.
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { log, rssMb } from './servers.mjs';

export const EXPORT_TARGET = { wallRatio: 1.3, rssGrowthMb: 100 };
const FROM = '2024-01-01T00:00:00Z';
const TO = '2030-01-01T00:00:00Z';
const COPY_SQL = `SELECT o.id, o.user_id, o.status, (SELECT COALESCE(SUM(i.quantity),0) FROM order_items i WHERE i.order_id = o.id), o.total_cents, o.currency, o.created_at FROM orders o WHERE o.created_at >= '2024-01-01' AND o.created_at < '2030-01-01' ORDER BY o.created_at, o.id`;

function download(port, token) {
  return new Promise((resolve, reject) => {
    const path = `/v1/reports/orders.csv?from=${FROM}&to=${TO}`;
    http
      .get({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`scenario g: the export answered ${res.statusCode}`));
        let rows = -1; // the header line
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
}

export async function measureExport({ port, apiPid, adminToken, databaseUrl }) {
  const idleRss = rssMb(apiPid);
  let peakRss = idleRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(apiPid))), 50);
  const started = process.hrtime.bigint();
  let result;
  try {
    result = await download(port, adminToken);
  } finally {
    clearInterval(sampler);
  }
  const exportMs = Number(process.hrtime.bigint() - started) / 1e6;
  const copyStarted = process.hrtime.bigint();
  const copy = spawnSync('psql', [databaseUrl, '-c', `\\copy (${COPY_SQL}) to '/dev/null' csv`], { encoding: 'utf8' });
  if (copy.status !== 0) throw new Error(`scenario g: psql \\copy failed: ${copy.stderr}`);
  const copyMs = Number(process.hrtime.bigint() - copyStarted) / 1e6;
  const wallRatio = Math.round((exportMs / copyMs) * 100) / 100;
  const growth = peakRss - idleRss;
  log(`g export: ${result.rows} rows in ${Math.round(exportMs)} ms, psql ${Math.round(copyMs)} ms, RSS ${idleRss} -> ${peakRss} MB`);
  return {
    kind: 'export',
    scenario: 'g',
    name: `CSV export of ${result.rows.toLocaleString('en')} orders vs psql \\copy`,
    api: { wallMs: Math.round(exportMs), rowsPerSecond: Math.round(result.rows / (exportMs / 1000)), rows: result.rows, bytes: result.bytes, idleRssMb: idleRss, peakRssMb: peakRss, rssGrowthMb: growth },
    reference: { wallMs: Math.round(copyMs) },
    ratio: wallRatio,
    target: EXPORT_TARGET,
    met: { wall: wallRatio <= EXPORT_TARGET.wallRatio, rss: growth <= EXPORT_TARGET.rssGrowthMb },
  };
}
