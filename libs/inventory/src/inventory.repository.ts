import { isUniqueViolation } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { StockLedger } from './stock-ledger';

/** stock_levels.on_hand is a PostgreSQL integer (int4); see docs/decisions.md. */
export const MAX_ON_HAND = 2_147_483_647;

export interface WarehouseView {
  id: string;
  code: string;
  name: string;
  createdAt: string;
}

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

@Injectable()
export class InventoryRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: StockLedger,
  ) {}

  async createWarehouse(warehouse: { id: string; code: string; name: string }): Promise<WarehouseView | null> {
    try {
      const rows = await this.dataSource.query<Array<{ id: string; code: string; name: string; created_at: Date }>>(
        `INSERT INTO warehouses (id, code, name) VALUES ($1, $2, $3) RETURNING id, code, name, created_at`,
        [warehouse.id, warehouse.code, warehouse.name],
      );
      return toWarehouse(rows[0]);
    } catch (error) {
      if (isUniqueViolation(error)) {
        return null;
      }
      throw error;
    }
  }

  async listWarehouses(): Promise<WarehouseView[]> {
    const rows = await this.dataSource.query<Array<{ id: string; code: string; name: string; created_at: Date }>>(
      // The OpenAPI document promises at most 1,000 (docs: openapi-hardening.ts).
      'SELECT id, code, name, created_at FROM warehouses ORDER BY code LIMIT 1000',
    );
    return rows.map(toWarehouse);
  }

  async warehouseExists(id: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>('SELECT 1 FROM warehouses WHERE id = $1', [id]);
    return rows.length > 0;
  }

  /**
   * Changes on-hand stock and writes the ledger row in one transaction. The
   * conditional UPDATE refuses to take on-hand below what is reserved, or above what
   * the integer column holds: the sum is compared in bigint, so the database is never
   * asked to store a value it would refuse with `integer out of range`.
   */
  async adjust(
    change: { productId: string; warehouseId: string; delta: number; reason: string; actorId?: string },
  ): Promise<StockView | 'insufficient' | 'limit_exceeded'> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO stock_levels (product_id, warehouse_id) VALUES ($1, $2) ON CONFLICT (product_id, warehouse_id) DO NOTHING`,
        [change.productId, change.warehouseId],
      );
      // TypeORM answers an UPDATE with [rows, affectedCount].
      const [rows] = await manager.query<[Array<{ on_hand: number; reserved: number }>, number]>(
        `UPDATE stock_levels SET on_hand = on_hand + $3, updated_at = now()
          WHERE product_id = $1 AND warehouse_id = $2 AND on_hand::bigint + $3 >= reserved AND on_hand::bigint + $3 <= $4
          RETURNING on_hand, reserved`,
        [change.productId, change.warehouseId, change.delta, MAX_ON_HAND],
      );
      const row = rows[0];
      if (!row) {
        // Which bound refused it: a positive delta can only hit the top one.
        return change.delta > 0 ? 'limit_exceeded' : 'insufficient';
      }
      await this.ledger.record(manager, {
        productId: change.productId,
        warehouseId: change.warehouseId,
        onHandDelta: change.delta,
        reservedDelta: 0,
        reason: change.reason,
        actorId: change.actorId,
      });
      return { warehouseId: change.warehouseId, onHand: row.on_hand, reserved: row.reserved, available: row.on_hand - row.reserved };
    });
  }

  async stockOf(productId: string): Promise<StockView[]> {
    const rows = await this.dataSource.query<Array<{ warehouse_id: string; on_hand: number; reserved: number }>>(
      `SELECT s.warehouse_id, s.on_hand, s.reserved FROM stock_levels s JOIN warehouses w ON w.id = s.warehouse_id
        WHERE s.product_id = $1 ORDER BY w.code`,
      [productId],
    );
    return rows.map((row) => ({ warehouseId: row.warehouse_id, onHand: row.on_hand, reserved: row.reserved, available: row.on_hand - row.reserved }));
  }

  /** Every figure is aggregated by PostgreSQL; nothing is summed in JavaScript. */
  async totals(): Promise<InventoryTotals> {
    const [overall] = await this.dataSource.query<Array<{ on_hand: string; reserved: string }>>(
      `SELECT COALESCE(SUM(on_hand), 0) AS on_hand, COALESCE(SUM(reserved), 0) AS reserved FROM stock_levels`,
    );
    const values = await this.dataSource.query<Array<{ currency: string; value: string }>>(
      `SELECT p.currency, SUM(s.on_hand::bigint * p.price_cents)::text AS value
         FROM stock_levels s JOIN products p ON p.id = s.product_id GROUP BY p.currency ORDER BY p.currency`,
    );
    const warehouses = await this.dataSource.query<Array<{ id: string; code: string; on_hand: string; reserved: string }>>(
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

function toWarehouse(row: { id: string; code: string; name: string; created_at: Date }): WarehouseView {
  return { id: row.id, code: row.code, name: row.name, createdAt: new Date(row.created_at).toISOString() };
}
