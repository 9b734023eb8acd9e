import { Database } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import type { Allocation, AvailableStock } from './stock-allocation';

/** stock_levels.on_hand is a PostgreSQL integer (int4); see docs/decisions.md. */
export const MAX_ON_HAND = 2_147_483_647;

export interface StockView {
  warehouseId: string;
  onHand: number;
  reserved: number;
  available: number;
}

export interface InventoryTotals {
  onHand: number;
  reserved: number;
  available: number;
  /** Per currency, integer minor units as a string of digits: the sum can exceed 2^53. */
  valueCents: Record<string, string>;
  byWarehouse: Array<{ warehouseId: string; code: string; onHand: number; reserved: number; available: number }>;
}

export interface StockMovement {
  productId: string;
  warehouseId: string;
  onHandDelta: number;
  reservedDelta: number;
  reason: string;
  orderId?: string;
  actorId?: string;
}

/**
 * Stock levels, order reservations and the movement ledger. Writes run in the calling
 * service's transaction; the locking reads (`FOR UPDATE`) need one.
 */
@Injectable()
export class StockRepository {
  constructor(private readonly db: Database) {}

  async ensureLevel(productId: string, warehouseId: string): Promise<void> {
    await this.db.query(
      'INSERT INTO stock_levels (product_id, warehouse_id) VALUES ($1, $2) ON CONFLICT (product_id, warehouse_id) DO NOTHING',
      [productId, warehouseId],
    );
  }

  /**
   * Changes on-hand stock unless that takes it below what is reserved or above what the
   * integer column holds (the sum is compared in bigint, so the database is never asked
   * to store a value it would refuse). `null` when a bound refused it.
   */
  async changeOnHand(productId: string, warehouseId: string, delta: number): Promise<StockView | null> {
    const row = await this.db.one<{ on_hand: number; reserved: number }>(
      `UPDATE stock_levels SET on_hand = on_hand + $3, updated_at = now()
        WHERE product_id = $1 AND warehouse_id = $2 AND on_hand::bigint + $3 >= reserved AND on_hand::bigint + $3 <= $4
        RETURNING on_hand, reserved`,
      [productId, warehouseId, delta, MAX_ON_HAND],
    );
    return row
      ? { warehouseId, onHand: row.on_hand, reserved: row.reserved, available: row.on_hand - row.reserved }
      : null;
  }

  async levelsOf(productId: string): Promise<StockView[]> {
    const rows = await this.db.query<{ warehouse_id: string; on_hand: number; reserved: number }>(
      `SELECT s.warehouse_id, s.on_hand, s.reserved FROM stock_levels s JOIN warehouses w ON w.id = s.warehouse_id
        WHERE s.product_id = $1 ORDER BY w.code`,
      [productId],
    );
    return rows.map((row) => ({
      warehouseId: row.warehouse_id,
      onHand: row.on_hand,
      reserved: row.reserved,
      available: row.on_hand - row.reserved,
    }));
  }

  /**
   * Locks a product's stock rows that have something available, by warehouse code: with
   * products taken in id order this is one global lock order, so two orders can never
   * deadlock, and what was read under the lock cannot be overtaken (no oversell).
   */
  async lockAvailable(productId: string): Promise<AvailableStock[]> {
    const rows = await this.db.query<{ warehouse_id: string; available: number }>(
      `SELECT s.warehouse_id, s.on_hand - s.reserved AS available
         FROM stock_levels s JOIN warehouses w ON w.id = s.warehouse_id
        WHERE s.product_id = $1 AND s.on_hand > s.reserved
        ORDER BY w.code
        FOR UPDATE OF s`,
      [productId],
    );
    return rows.map((row) => ({ warehouseId: row.warehouse_id, available: Number(row.available) }));
  }

  /**
   * Reserves a line's allocations (rows `lockAvailable` locked) with their reservation and
   * ledger rows, in one statement: the level, what the order holds and the movement that
   * explains it change together, and the transaction's connection is held one round trip
   * instead of three per warehouse.
   */
  async reserve(
    orderId: string,
    productId: string,
    allocations: readonly Allocation[],
    actorId: string,
  ): Promise<void> {
    await this.db.query(
      `WITH allocation AS (
         SELECT * FROM unnest($3::uuid[], $4::int[], $5::uuid[]) AS a(warehouse_id, quantity, movement_id)
       ), reserved AS (
         UPDATE stock_levels s SET reserved = s.reserved + a.quantity, updated_at = now()
           FROM allocation a WHERE s.product_id = $2 AND s.warehouse_id = a.warehouse_id
       ), held AS (
         INSERT INTO order_reservations (order_id, product_id, warehouse_id, quantity)
         SELECT $1, $2, warehouse_id, quantity FROM allocation
       )
       INSERT INTO stock_movements (id, product_id, warehouse_id, on_hand_delta, reserved_delta, reason, order_id, actor_id)
       SELECT movement_id, $2, warehouse_id, 0, quantity, 'order.reserve', $1, $6 FROM allocation`,
      [
        orderId,
        productId,
        allocations.map((allocation) => allocation.warehouseId),
        allocations.map((allocation) => allocation.quantity),
        allocations.map(() => uuidv7()),
        actorId,
      ],
    );
  }

  /** What an order reserved, in the lock order (product id, then warehouse code). */
  async reservationsOf(orderId: string): Promise<Array<{ productId: string; warehouseId: string; quantity: number }>> {
    const rows = await this.db.query<{ product_id: string; warehouse_id: string; quantity: number }>(
      `SELECT r.product_id, r.warehouse_id, r.quantity FROM order_reservations r JOIN warehouses w ON w.id = r.warehouse_id
        WHERE r.order_id = $1 ORDER BY r.product_id, w.code`,
      [orderId],
    );
    return rows.map((row) => ({ productId: row.product_id, warehouseId: row.warehouse_id, quantity: row.quantity }));
  }

  async unreserve(productId: string, warehouseId: string, quantity: number): Promise<void> {
    await this.db.query(
      'UPDATE stock_levels SET reserved = reserved - $3, updated_at = now() WHERE product_id = $1 AND warehouse_id = $2',
      [productId, warehouseId, quantity],
    );
  }

  /** The ledger: one row per change of on-hand or reserved stock. */
  async recordMovement(movement: StockMovement): Promise<void> {
    await this.db.query(
      `INSERT INTO stock_movements (id, product_id, warehouse_id, on_hand_delta, reserved_delta, reason, order_id, actor_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        uuidv7(),
        movement.productId,
        movement.warehouseId,
        movement.onHandDelta,
        movement.reservedDelta,
        movement.reason,
        movement.orderId ?? null,
        movement.actorId ?? null,
      ],
    );
  }

  /** Every figure is aggregated by PostgreSQL; nothing is summed in JavaScript. */
  async totals(): Promise<InventoryTotals> {
    const overall = await this.db.one<{ on_hand: string; reserved: string }>(
      'SELECT COALESCE(SUM(on_hand), 0) AS on_hand, COALESCE(SUM(reserved), 0) AS reserved FROM stock_levels',
    );
    const values = await this.db.query<{ currency: string; value: string }>(
      `SELECT p.currency, SUM(s.on_hand::bigint * p.price_cents)::text AS value
         FROM stock_levels s JOIN products p ON p.id = s.product_id GROUP BY p.currency ORDER BY p.currency`,
    );
    const warehouses = await this.db.query<{ id: string; code: string; on_hand: string; reserved: string }>(
      `SELECT w.id, w.code, COALESCE(SUM(s.on_hand), 0) AS on_hand, COALESCE(SUM(s.reserved), 0) AS reserved
         FROM warehouses w LEFT JOIN stock_levels s ON s.warehouse_id = w.id GROUP BY w.id, w.code ORDER BY w.code`,
    );
    const onHand = Number(overall?.on_hand ?? 0);
    const reserved = Number(overall?.reserved ?? 0);
    return {
      onHand,
      reserved,
      available: onHand - reserved,
      valueCents: Object.fromEntries(values.map((row) => [row.currency.trim(), row.value])),
      byWarehouse: warehouses.map((row) => ({
        warehouseId: row.id,
        code: row.code,
        onHand: Number(row.on_hand),
        reserved: Number(row.reserved),
        available: Number(row.on_hand) - Number(row.reserved),
      })),
    };
  }
}
