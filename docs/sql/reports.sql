-- The SQL that libs/reports's repositories run, by repository method.
-- Generated from the source by `npm run sql:snapshots` and checked by test/architecture/sql-snapshots.spec.ts:
-- do not edit; rewrite it with the command and review the diff. ${...} is interpolated source text.

-- ==== OrdersExportRepository (libs/reports/src/orders-export.repository.ts)

-- const copyCsvSql =
(from: string, to: string) =>
COPY (
  SELECT o.id, o.user_id AS "userId", o.status,
         (SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i WHERE i.order_id = o.id) AS "itemCount",
         o.total_cents AS "totalCents", btrim(o.currency) AS currency,
         to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
    FROM orders o
   WHERE o.created_at >= ${from}::timestamptz AND o.created_at < ${to}::timestamptz
   ORDER BY o.created_at, o.id
) TO STDOUT WITH (FORMAT csv, HEADER, ENCODING 'UTF8')

-- OrdersExportRepository.copyCsv, on client.query
${copyTo(copyCsvSql(client.escapeLiteral(from.toISOString()), client.escapeLiteral(to.toISOString())))}

-- ==== functions (libs/reports/src/orders-export.repository.ts)

-- const BATCH_SIZE =
1000

-- const FIRST_BATCH_SQL =
batchSql(true)

-- const NEXT_BATCH_SQL =
batchSql(false)

-- const batchSql =
(first: boolean) =>
SELECT o.id, o.user_id, o.status,
       (SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i WHERE i.order_id = o.id) AS item_count,
       o.total_cents, o.currency, o.created_at, o.created_at::text AS cursor_at
  FROM orders o
 WHERE (o.created_at, o.id) ${first ? '>=' : '>'} ($1::timestamptz, $2::uuid) AND o.created_at < $3
 ORDER BY o.created_at, o.id
 LIMIT ${BATCH_SIZE}

-- batches() (1 of 2), on client.query
${FIRST_BATCH_SQL}

-- batches() (2 of 2), on client.query
${NEXT_BATCH_SQL}

-- ==== ReportsRepository (libs/reports/src/reports.repository.ts)

-- const COLUMNS =
id, type, format, range_from, range_to, status, row_count, size_bytes, error, created_at

-- ReportsRepository.insertQueued
INSERT INTO reports (id, requested_by, type, format, range_from, range_to, status)
  VALUES ($1, $2, 'orders', $3, $4, $5, 'queued') RETURNING ${COLUMNS}

-- ReportsRepository.find
SELECT ${COLUMNS} FROM reports WHERE id = $1

-- ReportsRepository.markRunning
UPDATE reports SET status = 'running', attempts = attempts + 1, error = NULL, updated_at = now() WHERE id = $1

-- ReportsRepository.markDone
UPDATE reports SET status = 'done', row_count = $2, size_bytes = $3, updated_at = now() WHERE id = $1

-- ReportsRepository.markFailed
UPDATE reports SET status = 'failed', error = $2, updated_at = now() WHERE id = $1

-- ReportsRepository.markEventProcessed
INSERT INTO processed_events (event_id, consumer) VALUES ($1, 'sales-rollup') ON CONFLICT DO NOTHING RETURNING event_id

-- ReportsRepository.addToDailySales
INSERT INTO daily_sales (day, currency, orders, units, revenue_cents)
  VALUES (($1::timestamptz AT TIME ZONE 'UTC')::date, $2, $3, $4, $5)
  ON CONFLICT (day, currency) DO UPDATE SET orders = daily_sales.orders + EXCLUDED.orders,
    units = daily_sales.units + EXCLUDED.units, revenue_cents = daily_sales.revenue_cents + EXCLUDED.revenue_cents

-- ReportsRepository.sales, on a replica (lag-tolerant)
SELECT to_char(day, 'YYYY-MM-DD') AS day, orders, units, revenue_cents::text AS revenue_cents, currency FROM daily_sales
  WHERE day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND (day::timestamp AT TIME ZONE 'UTC') < $2::timestamptz
  ORDER BY day, currency
  LIMIT 10000
