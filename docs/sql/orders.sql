-- The SQL that libs/orders's repositories run, by repository method.
-- Generated from the source by `npm run sql:snapshots` and checked by test/architecture/sql-snapshots.spec.ts:
-- do not edit; rewrite it with the command and review the diff. ${...} is interpolated source text.

-- ==== OrdersRepository (libs/orders/src/orders.repository.ts)

-- const ORDER_COLUMNS =
id, user_id, status, total_cents, currency, created_at

-- OrdersRepository.insert
WITH placed AS (
    INSERT INTO orders (id, user_id, status, total_cents, currency, idempotency_key) VALUES ($1, $2, 'placed', $3, $4, $5)
    ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING ${ORDER_COLUMNS}
  ), placed_lines AS (
    INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
    SELECT placed.id, line.product_id, line.quantity, line.unit_price_cents
      FROM placed, unnest($6::uuid[], $7::int[], $8::int[]) AS line(product_id, quantity, unit_price_cents)
  )
  SELECT ${ORDER_COLUMNS} FROM placed

-- OrdersRepository.lockVisible
SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid) FOR UPDATE

-- OrdersRepository.setStatus
UPDATE orders SET status = $2, updated_at = now() WHERE id = $1

-- OrdersRepository.findByIdempotencyKey
SELECT ${ORDER_COLUMNS} FROM orders WHERE user_id = $1 AND idempotency_key = $2

-- OrdersRepository.findVisible
SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid)

-- OrdersRepository.list (1 of 2)
SELECT ${ORDER_COLUMNS} FROM orders
  WHERE ($1::uuid IS NULL OR user_id = $1::uuid) AND ($2::uuid IS NULL OR id < $2::uuid)
  ORDER BY id DESC LIMIT $3

-- OrdersRepository.list (2 of 2)
SELECT order_id, product_id, quantity, unit_price_cents FROM order_items WHERE order_id = ANY($1::uuid[]) ORDER BY product_id

-- OrdersRepository.lines
SELECT product_id, quantity, unit_price_cents FROM order_items WHERE order_id = $1 ORDER BY product_id
