// Standalone: COPY 1M rows into a discarding Writable; counts GCs (run with --trace-gc).
const pg = require('pg');
const { to } = require('pg-copy-streams');
const { Writable, pipeline } = require('node:stream');
(async () => {
  const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/commerce_bench' });
  await c.connect();
  const t = Date.now();
  let bytes = 0, chunks = 0;
  const copy = c.query(to(`COPY (SELECT o.id, o.user_id, o.status, o.total_cents, o.currency, o.created_at FROM orders o WHERE o.created_at < '2026-01-01') TO STDOUT WITH (FORMAT csv)`));
  await new Promise((res, rej) => pipeline(copy, new Writable({ write(ch, e, cb) { bytes += ch.length; chunks++; cb(); } }), (e) => (e ? rej(e) : res())));
  const m = process.memoryUsage();
  console.error(`ms=${Date.now() - t} bytes=${bytes} chunks=${chunks} rss=${Math.round(m.rss / 1048576)} heapUsed=${Math.round(m.heapUsed / 1048576)}`);
  await c.end();
})();
