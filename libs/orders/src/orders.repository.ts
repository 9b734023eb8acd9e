import { StockLedger } from '@app/inventory';
import { OutboxRepository } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OrderCancelled, OrderPlaced } from './order.events';
import { OrderView } from './order.read-model';

export interface PricedLine {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

/** `existing`: the order was placed before with the same idempotency key; nothing new was written. */
export type PlaceOutcome = { ok: true; order: OrderView; existing?: boolean } | { ok: false; reason: 'insufficient'; productId: string };
export type CancelOutcome = { ok: true; order: OrderView } | { ok: false; reason: 'not_found' | 'not_cancellable' };

interface OrderRow {
  id: string;
  user_id: string;
  status: 'placed' | 'cancelled';
  total_cents: string;
  currency: string;
  created_at: Date;
}

@Injectable()
export class OrdersRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: StockLedger,
    private readonly outbox: OutboxRepository,
  ) {}

  /**
   * One transaction: the order, its lines, the stock reservations with their ledger
   * rows, and the `order.placed` outbox row. All of it commits, or none of it does.
   */
  async place(order: { id: string; userId: string; currency: string; idempotencyKey?: string; lines: PricedLine[] }): Promise<PlaceOutcome> {
    const totalCents = order.lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
    const queryRunner = this.dataSource.createQueryRunner();
    await queryRunner.connect();
    await queryRunner.startTransaction();
    try {
      const manager = queryRunner.manager;
      const rows = await manager.query<OrderRow[]>(
        `INSERT INTO orders (id, user_id, status, total_cents, currency, idempotency_key) VALUES ($1, $2, 'placed', $3, $4, $5)
         ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING id, user_id, status, total_cents, currency, created_at`,
        [order.id, order.userId, totalCents, order.currency, order.idempotencyKey ?? null],
      );
      if (rows.length === 0) {
        // Placed before with this key (its response was lost): that order, not a second one.
        await queryRunner.rollbackTransaction();
        const existing = await this.findByIdempotencyKey(order.userId, order.idempotencyKey!);
        return { ok: true, order: existing!, existing: true };
      }
      for (const line of order.lines) {
        await manager.query(`INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES ($1, $2, $3, $4)`, [
          order.id,
          line.productId,
          line.quantity,
          line.unitPriceCents,
        ]);
      }
      const reservation = await this.ledger.reserve(manager, order.id, order.userId, order.lines);
      if (!reservation.ok) {
        await queryRunner.rollbackTransaction();
        return { ok: false, reason: 'insufficient', productId: reservation.productId };
      }
      const view = toView(rows[0], order.lines);
      await this.outbox.enqueue(manager, OrderPlaced, { ...view, status: 'placed' });
      await queryRunner.commitTransaction();
      return { ok: true, order: view };
    } catch (error) {
      // When the connection itself died, the rollback fails too (the runner is already
      // released): the original error is the one that says what happened (a 503).
      if (queryRunner.isTransactionActive && !queryRunner.isReleased) {
        await queryRunner.rollbackTransaction().catch(() => undefined);
      }
      throw error;
    } finally {
      await queryRunner.release().catch(() => undefined);
    }
  }

  /** Cancels a placed order, releasing its stock, with the outbox event, in one transaction. */
  async cancel(orderId: string, ownerId: string | undefined, actorId: string): Promise<CancelOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<OrderRow[]>(
        `SELECT id, user_id, status, total_cents, currency, created_at FROM orders
          WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid) FOR UPDATE`,
        [orderId, ownerId ?? null],
      );
      const row = rows[0];
      if (!row) {
        return { ok: false, reason: 'not_found' };
      }
      if (row.status !== 'placed') {
        return { ok: false, reason: 'not_cancellable' };
      }
      await this.ledger.release(manager, orderId, actorId);
      await manager.query(`UPDATE orders SET status = 'cancelled', updated_at = now() WHERE id = $1`, [orderId]);
      const view = { ...toView(row, await this.lines(manager, orderId)), status: 'cancelled' as const };
      await this.outbox.enqueue(manager, OrderCancelled, view);
      return { ok: true, order: view };
    });
  }

  async findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<OrderView | null> {
    const rows = await this.dataSource.query<OrderRow[]>(
      `SELECT id, user_id, status, total_cents, currency, created_at FROM orders WHERE user_id = $1 AND idempotency_key = $2`,
      [userId, idempotencyKey],
    );
    return rows[0] ? toView(rows[0], await this.lines(this.dataSource.manager, rows[0].id)) : null;
  }

  async findVisible(orderId: string, ownerId: string | undefined): Promise<OrderView | null> {
    const rows = await this.dataSource.query<OrderRow[]>(
      `SELECT id, user_id, status, total_cents, currency, created_at FROM orders WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid)`,
      [orderId, ownerId ?? null],
    );
    return rows[0] ? toView(rows[0], await this.lines(this.dataSource.manager, orderId)) : null;
  }

  /** Keyset page, newest first (ids are UUID v7); fetches limit + 1. */
  async list(ownerId: string | undefined, limit: number, beforeId?: string): Promise<OrderView[]> {
    const rows = await this.dataSource.query<OrderRow[]>(
      `SELECT id, user_id, status, total_cents, currency, created_at FROM orders
        WHERE ($1::uuid IS NULL OR user_id = $1::uuid) AND ($2::uuid IS NULL OR id < $2::uuid)
        ORDER BY id DESC LIMIT $3`,
      [ownerId ?? null, beforeId ?? null, limit + 1],
    );
    if (rows.length === 0) {
      return [];
    }
    const items = await this.dataSource.query<Array<{ order_id: string; product_id: string; quantity: number; unit_price_cents: number }>>(
      `SELECT order_id, product_id, quantity, unit_price_cents FROM order_items WHERE order_id = ANY($1::uuid[]) ORDER BY product_id`,
      [rows.map((row) => row.id)],
    );
    return rows.map((row) =>
      toView(
        row,
        items
          .filter((item) => item.order_id === row.id)
          .map((item) => ({ productId: item.product_id, quantity: item.quantity, unitPriceCents: item.unit_price_cents })),
      ),
    );
  }

  private async lines(manager: EntityManager, orderId: string): Promise<PricedLine[]> {
    const items = await manager.query<Array<{ product_id: string; quantity: number; unit_price_cents: number }>>(
      `SELECT product_id, quantity, unit_price_cents FROM order_items WHERE order_id = $1 ORDER BY product_id`,
      [orderId],
    );
    return items.map((item) => ({ productId: item.product_id, quantity: item.quantity, unitPriceCents: item.unit_price_cents }));
  }
}

function toView(row: OrderRow, lines: PricedLine[]): OrderView {
  return {
    id: row.id,
    userId: row.user_id,
    status: row.status,
    items: [...lines].sort((a, b) => (a.productId < b.productId ? -1 : 1)).map((line) => ({ productId: line.productId, quantity: line.quantity, unitPriceCents: line.unitPriceCents })),
    totalCents: Number(row.total_cents),
    currency: row.currency.trim(),
    createdAt: new Date(row.created_at).toISOString(),
  };
}
