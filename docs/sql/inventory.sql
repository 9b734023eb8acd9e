-- The SQL that libs/inventory's repositories run, by repository method.
-- Generated from the source by `npm run sql:snapshots` and checked by test/architecture/sql-snapshots.spec.ts:
-- do not edit; rewrite it with the command and review the diff. ${...} is interpolated source text.

-- ==== StockRepository (libs/inventory/src/stock.repository.ts)

-- StockRepository.ensureLevel
INSERT INTO stock_levels (product_id, warehouse_id) VALUES ($1, $2) ON CONFLICT (product_id, warehouse_id) DO NOTHING

-- StockRepository.changeOnHand
UPDATE stock_levels SET on_hand = on_hand + $3, updated_at = now()
  WHERE product_id = $1 AND warehouse_id = $2 AND on_hand::bigint + $3 >= reserved AND on_hand::bigint + $3 <= $4
  RETURNING on_hand, reserved

-- StockRepository.levelsOf
SELECT s.warehouse_id, s.on_hand, s.reserved FROM stock_levels s JOIN warehouses w ON w.id = s.warehouse_id
  WHERE s.product_id = $1 ORDER BY w.code

-- StockRepository.lockAvailable
SELECT s.warehouse_id, s.on_hand - s.reserved AS available
   FROM stock_levels s JOIN warehouses w ON w.id = s.warehouse_id
  WHERE s.product_id = $1 AND s.on_hand > s.reserved
  ORDER BY w.code
  FOR UPDATE OF s

-- StockRepository.reserve
WITH allocation AS (
    SELECT * FROM unnest($3::uuid[], $4::int[], $5::uuid[]) AS a(warehouse_id, quantity, movement_id)
  ), reserved AS (
    UPDATE stock_levels s SET reserved = s.reserved + a.quantity, updated_at = now()
      FROM allocation a WHERE s.product_id = $2 AND s.warehouse_id = a.warehouse_id
  ), held AS (
    INSERT INTO order_reservations (order_id, product_id, warehouse_id, quantity)
    SELECT $1, $2, warehouse_id, quantity FROM allocation
  )
  INSERT INTO stock_movements (id, product_id, warehouse_id, on_hand_delta, reserved_delta, reason, order_id, actor_id)
  SELECT movement_id, $2, warehouse_id, 0, quantity, 'order.reserve', $1, $6 FROM allocation

-- StockRepository.reservationsOf
SELECT r.product_id, r.warehouse_id, r.quantity FROM order_reservations r JOIN warehouses w ON w.id = r.warehouse_id
  WHERE r.order_id = $1 ORDER BY r.product_id, w.code

-- StockRepository.unreserve
UPDATE stock_levels SET reserved = reserved - $3, updated_at = now() WHERE product_id = $1 AND warehouse_id = $2

-- StockRepository.recordMovement
INSERT INTO stock_movements (id, product_id, warehouse_id, on_hand_delta, reserved_delta, reason, order_id, actor_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)

-- StockRepository.totals (1 of 3)
SELECT COALESCE(SUM(on_hand), 0) AS on_hand, COALESCE(SUM(reserved), 0) AS reserved FROM stock_levels

-- StockRepository.totals (2 of 3)
SELECT p.currency, SUM(s.on_hand::bigint * p.price_cents)::text AS value
  FROM stock_levels s JOIN products p ON p.id = s.product_id GROUP BY p.currency ORDER BY p.currency

-- StockRepository.totals (3 of 3)
SELECT w.id, w.code, COALESCE(SUM(s.on_hand), 0) AS on_hand, COALESCE(SUM(s.reserved), 0) AS reserved
  FROM warehouses w LEFT JOIN stock_levels s ON s.warehouse_id = w.id GROUP BY w.id, w.code ORDER BY w.code

-- ==== WarehousesRepository (libs/inventory/src/warehouses.repository.ts)

-- WarehousesRepository.create
INSERT INTO warehouses (id, code, name) VALUES ($1, $2, $3) RETURNING id, code, name, created_at

-- WarehousesRepository.list
SELECT id, code, name, created_at FROM warehouses ORDER BY code LIMIT 1000

-- WarehousesRepository.exists
SELECT 1 FROM warehouses WHERE id = $1
