import { Database } from '@app/platform';
import { Injectable } from '@nestjs/common';
import type { OrderStatus } from './order.entity';
import { OrderView } from './order.read-model';

export interface PricedLine {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

export interface NewOrder {
  id: string;
  userId: string;
  currency: string;
  totalCents: number;
  idempotencyKey?: string;
  lines: readonly PricedLine[];
}

interface OrderRow {
  id: string;
  user_id: string;
  status: OrderStatus;
  total_cents: string;
  currency: string;
  created_at: Date;
}

const ORDER_COLUMNS = 'id, user_id, status, total_cents, currency, created_at';

/** Orders and their lines. Writes run in the calling service's transaction. */
@Injectable()
export class OrdersRepository {
  constructor(private readonly db: Database) {}

  /**
   * The order and its lines; `null` when this user already placed an order with this
   * idempotency key (then nothing is written).
   */
  async insert(order: NewOrder): Promise<OrderView | null> {
    // One round trip for the order and all its lines (the order's connection is held for
    // the whole transaction, so every statement saved shortens it). The lines' insert reads
    // the order's RETURNING row: a conflict inserts neither. The foreign key is checked at
    // the end of the statement, when the order row exists.
    const row = await this.db.one<OrderRow>(
      `WITH placed AS (
         INSERT INTO orders (id, user_id, status, total_cents, currency, idempotency_key) VALUES ($1, $2, 'placed', $3, $4, $5)
         ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING ${ORDER_COLUMNS}
       ), placed_lines AS (
         INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
         SELECT placed.id, line.product_id, line.quantity, line.unit_price_cents
           FROM placed, unnest($6::uuid[], $7::int[], $8::int[]) AS line(product_id, quantity, unit_price_cents)
       )
       SELECT ${ORDER_COLUMNS} FROM placed`,
      [
        order.id,
        order.userId,
        order.totalCents,
        order.currency,
        order.idempotencyKey ?? null,
        order.lines.map((line) => line.productId),
        order.lines.map((line) => line.quantity),
        order.lines.map((line) => line.unitPriceCents),
      ],
    );
    return row ? toView(row, order.lines) : null;
  }

  /** The order, locked until the caller's transaction ends; `ownerId` limits it to that user's orders. */
  async lockVisible(orderId: string, ownerId: string | undefined): Promise<OrderView | null> {
    const row = await this.db.one<OrderRow>(
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid) FOR UPDATE`,
      [orderId, ownerId ?? null],
    );
    return row ? toView(row, await this.lines(orderId)) : null;
  }

  async setStatus(orderId: string, status: OrderStatus): Promise<void> {
    await this.db.query('UPDATE orders SET status = $2, updated_at = now() WHERE id = $1', [orderId, status]);
  }

  async findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<OrderView | null> {
    const row = await this.db.one<OrderRow>(
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE user_id = $1 AND idempotency_key = $2`,
      [userId, idempotencyKey],
    );
    return row ? toView(row, await this.lines(row.id)) : null;
  }

  async findVisible(orderId: string, ownerId: string | undefined): Promise<OrderView | null> {
    const row = await this.db.one<OrderRow>(
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid)`,
      [orderId, ownerId ?? null],
    );
    return row ? toView(row, await this.lines(orderId)) : null;
  }

  /** Keyset page, newest first (ids are UUID v7); fetches limit + 1. */
  async list(ownerId: string | undefined, limit: number, beforeId?: string): Promise<OrderView[]> {
    const rows = await this.db.query<OrderRow>(
      `SELECT ${ORDER_COLUMNS} FROM orders
        WHERE ($1::uuid IS NULL OR user_id = $1::uuid) AND ($2::uuid IS NULL OR id < $2::uuid)
        ORDER BY id DESC LIMIT $3`,
      [ownerId ?? null, beforeId ?? null, limit + 1],
    );
    if (rows.length === 0) {
      return [];
    }
    const items = await this.db.query<{
      order_id: string;
      product_id: string;
      quantity: number;
      unit_price_cents: number;
    }>(
      'SELECT order_id, product_id, quantity, unit_price_cents FROM order_items WHERE order_id = ANY($1::uuid[]) ORDER BY product_id',
      [rows.map((row) => row.id)],
    );
    return rows.map((row) =>
      toView(
        row,
        items
          .filter((item) => item.order_id === row.id)
          .map((item) => ({
            productId: item.product_id,
            quantity: item.quantity,
            unitPriceCents: item.unit_price_cents,
          })),
      ),
    );
  }

  private async lines(orderId: string): Promise<PricedLine[]> {
    const items = await this.db.query<{ product_id: string; quantity: number; unit_price_cents: number }>(
      'SELECT product_id, quantity, unit_price_cents FROM order_items WHERE order_id = $1 ORDER BY product_id',
      [orderId],
    );
    return items.map((item) => ({
      productId: item.product_id,
      quantity: item.quantity,
      unitPriceCents: item.unit_price_cents,
    }));
  }
}

function toView(row: OrderRow, lines: readonly PricedLine[]): OrderView {
  return {
    id: row.id,
    userId: row.user_id,
    status: row.status,
    items: [...lines]
      .sort((a, b) => (a.productId < b.productId ? -1 : 1))
      .map((line) => ({ productId: line.productId, quantity: line.quantity, unitPriceCents: line.unitPriceCents })),
    totalCents: Number(row.total_cents),
    currency: row.currency.trim(),
    createdAt: new Date(row.created_at).toISOString(),
  };
}
