import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { uuidv7 } from 'uuidv7';

export interface ReservationLine {
  productId: string;
  quantity: number;
}

export type ReservationOutcome = { ok: true } | { ok: false; productId: string };

/**
 * Stock changes made inside a caller's transaction (orders place and cancel through
 * it), each with its ledger row.
 *
 * Reservation takes row locks (SELECT ... FOR UPDATE) in one global order: product id,
 * then warehouse code. Two transactions therefore always lock shared rows in the same
 * order and can never deadlock, and a transaction that has read `on_hand - reserved`
 * under its lock cannot be overtaken: no interleaving can oversell. Locks rather than
 * a single conditional UPDATE because one line may be split across warehouses.
 */
@Injectable()
export class StockLedger {
  async reserve(manager: EntityManager, orderId: string, actorId: string, lines: ReservationLine[]): Promise<ReservationOutcome> {
    const sorted = [...lines].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
    for (const line of sorted) {
      const rows = await manager.query<Array<{ warehouse_id: string; available: number }>>(
        `SELECT s.warehouse_id, s.on_hand - s.reserved AS available
           FROM stock_levels s JOIN warehouses w ON w.id = s.warehouse_id
          WHERE s.product_id = $1 AND s.on_hand > s.reserved
          ORDER BY w.code
          FOR UPDATE OF s`,
        [line.productId],
      );
      let remaining = line.quantity;
      const allocations: Array<{ warehouseId: string; quantity: number }> = [];
      for (const row of rows) {
        if (remaining === 0) {
          break;
        }
        const take = Math.min(remaining, Number(row.available));
        allocations.push({ warehouseId: row.warehouse_id, quantity: take });
        remaining -= take;
      }
      if (remaining > 0) {
        return { ok: false, productId: line.productId };
      }
      for (const allocation of allocations) {
        await manager.query(
          `UPDATE stock_levels SET reserved = reserved + $3, updated_at = now() WHERE product_id = $1 AND warehouse_id = $2`,
          [line.productId, allocation.warehouseId, allocation.quantity],
        );
        await manager.query(`INSERT INTO order_reservations (order_id, product_id, warehouse_id, quantity) VALUES ($1, $2, $3, $4)`, [
          orderId,
          line.productId,
          allocation.warehouseId,
          allocation.quantity,
        ]);
        await this.record(manager, { productId: line.productId, warehouseId: allocation.warehouseId, onHandDelta: 0, reservedDelta: allocation.quantity, reason: 'order.reserve', orderId, actorId });
      }
    }
    return { ok: true };
  }

  /** Releases everything an order reserved (on cancel), in the same lock order. */
  async release(manager: EntityManager, orderId: string, actorId: string): Promise<void> {
    const reservations = await manager.query<Array<{ product_id: string; warehouse_id: string; quantity: number }>>(
      `SELECT r.product_id, r.warehouse_id, r.quantity FROM order_reservations r JOIN warehouses w ON w.id = r.warehouse_id
        WHERE r.order_id = $1 ORDER BY r.product_id, w.code`,
      [orderId],
    );
    for (const reservation of reservations) {
      await manager.query(
        `UPDATE stock_levels SET reserved = reserved - $3, updated_at = now() WHERE product_id = $1 AND warehouse_id = $2`,
        [reservation.product_id, reservation.warehouse_id, reservation.quantity],
      );
      await this.record(manager, {
        productId: reservation.product_id,
        warehouseId: reservation.warehouse_id,
        onHandDelta: 0,
        reservedDelta: -reservation.quantity,
        reason: 'order.release',
        orderId,
        actorId,
      });
    }
  }

  async record(
    manager: EntityManager,
    movement: { productId: string; warehouseId: string; onHandDelta: number; reservedDelta: number; reason: string; orderId?: string; actorId?: string },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO stock_movements (id, product_id, warehouse_id, on_hand_delta, reserved_delta, reason, order_id, actor_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [uuidv7(), movement.productId, movement.warehouseId, movement.onHandDelta, movement.reservedDelta, movement.reason, movement.orderId ?? null, movement.actorId ?? null],
    );
  }
}
