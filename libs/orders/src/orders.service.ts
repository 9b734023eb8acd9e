import { CatalogError, ProductsService, ProductView } from '@app/catalog';
import { InventoryService } from '@app/inventory';
import {
  AuthenticatedUser,
  decodeCursor,
  isAdmin,
  OutboxRepository,
  Page,
  toPage,
  Transactional,
  UUID_PATTERN,
} from '@app/platform';
import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { OrderCancelled, OrderPlaced } from './order.events';
import { OrderView } from './order.read-model';
import { OrderError, OrderErrorCode } from './orders.errors';
import { NewOrder, OrdersRepository } from './orders.repository';

@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly products: ProductsService,
    private readonly inventory: InventoryService,
    private readonly outbox: OutboxRepository,
  ) {}

  /**
   * Validates the products (known, active, one currency), copies their current prices
   * onto the lines, and places the order with its stock reservations.
   * `idempotencyKey` makes placement exactly-once even when a response is lost after the
   * commit: the order already placed with that key is the answer.
   */
  async place(
    user: AuthenticatedUser,
    items: Array<{ productId: string; quantity: number }>,
    idempotencyKey?: string,
  ): Promise<OrderView> {
    const quantities = new Map<string, number>();
    for (const item of items) {
      quantities.set(item.productId, (quantities.get(item.productId) ?? 0) + item.quantity);
    }
    const products = await Promise.all([...quantities.keys()].map((id) => this.activeProduct(id)));
    const currency = products[0].currency;
    if (products.some((product) => product.currency !== currency)) {
      throw new OrderError(OrderErrorCode.CurrencyMismatch, 'All products of an order must have the same currency.');
    }
    const lines = products.map((product) => ({
      productId: product.id,
      quantity: quantities.get(product.id)!,
      unitPriceCents: product.priceCents,
    }));
    const totalCents = lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
    const placed = await this.placeInTransaction({
      id: uuidv7(),
      userId: user.id,
      currency,
      totalCents,
      idempotencyKey,
      lines,
    });
    if (!placed.existing) {
      await this.inventory.stockChanged();
    }
    return placed.order;
  }

  async cancel(user: AuthenticatedUser, orderId: string): Promise<OrderView> {
    const order = await this.cancelInTransaction(orderId, isAdmin(user) ? undefined : user.id, user.id);
    await this.inventory.stockChanged();
    return order;
  }

  /** Another customer's order is reported missing (404), not forbidden. */
  async get(user: AuthenticatedUser, orderId: string): Promise<OrderView> {
    const order = await this.orders.findVisible(orderId, isAdmin(user) ? undefined : user.id);
    if (!order) {
      throw new OrderError(OrderErrorCode.NotFound, 'No such order.');
    }
    return order;
  }

  async list(user: AuthenticatedUser, limit: number, cursor?: string): Promise<Page<OrderView>> {
    const before = decodeCursor(cursor, UUID_PATTERN);
    const rows = await this.orders.list(isAdmin(user) ? undefined : user.id, limit, before?.id);
    return toPage(
      rows,
      limit,
      (row) => ({ key: row.id, id: row.id }),
      (row) => row,
    );
  }

  private async activeProduct(id: string): Promise<ProductView> {
    try {
      const { value } = await this.products.get(id);
      if (!value.active) {
        throw new OrderError(OrderErrorCode.ProductUnavailable, `Product ${id} is not available.`);
      }
      return value;
    } catch (error) {
      if (error instanceof CatalogError) {
        throw new OrderError(OrderErrorCode.ProductUnavailable, `Product ${id} does not exist.`);
      }
      throw error;
    }
  }

  /**
   * One transaction: the order, its lines, the stock reservations with their ledger rows,
   * and the `order.placed` outbox row. All of it commits, or none of it does (a line
   * without stock throws 409 INVENTORY_INSUFFICIENT from the reservation).
   */
  @Transactional()
  private async placeInTransaction(order: NewOrder): Promise<{ order: OrderView; existing: boolean }> {
    const placed = await this.orders.insert(order);
    if (!placed) {
      // Placed before with this key (its response was lost): that order, not a second one.
      return { order: (await this.orders.findByIdempotencyKey(order.userId, order.idempotencyKey!))!, existing: true };
    }
    await this.inventory.reserve(order.id, order.userId, order.lines);
    await this.outbox.enqueue(OrderPlaced, placed);
    return { order: placed, existing: false };
  }

  /** Only a placed order can be cancelled; its stock is released with the `order.cancelled` event, in one transaction. */
  @Transactional()
  private async cancelInTransaction(orderId: string, ownerId: string | undefined, actorId: string): Promise<OrderView> {
    const order = await this.orders.lockVisible(orderId, ownerId);
    if (!order) {
      throw new OrderError(OrderErrorCode.NotFound, 'No such order.');
    }
    if (order.status !== 'placed') {
      throw new OrderError(OrderErrorCode.NotCancellable, 'Only a placed order can be cancelled.');
    }
    await this.inventory.release(orderId, actorId);
    await this.orders.setStatus(orderId, 'cancelled');
    const cancelled: OrderView = { ...order, status: 'cancelled' };
    await this.outbox.enqueue(OrderCancelled, cancelled);
    return cancelled;
  }
}
