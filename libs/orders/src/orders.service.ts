import { CatalogError, ProductsService, ProductView } from '@app/catalog';
import { InventoryService } from '@app/inventory';
import { AuthenticatedUser, decodeCursor, isAdmin, Page, toPage, UUID_PATTERN } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { OrderView } from './order.read-model';
import { OrderError, OrderErrorCode } from './orders.errors';
import { OrdersRepository } from './orders.repository';


@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly products: ProductsService,
    private readonly inventory: InventoryService,
  ) {}

  /**
   * Validates the products (known, active, one currency), copies their current
   * prices onto the lines, and reserves stock for every line atomically.
   */
  /**
   * `idempotencyKey` makes placement exactly-once even when a response is lost after
   * the commit: the repository returns the order already placed with that key.
   */
  async place(user: AuthenticatedUser, items: Array<{ productId: string; quantity: number }>, idempotencyKey?: string): Promise<OrderView> {
    const quantities = new Map<string, number>();
    for (const item of items) {
      quantities.set(item.productId, (quantities.get(item.productId) ?? 0) + item.quantity);
    }
    const products = await Promise.all([...quantities.keys()].map((id) => this.activeProduct(id)));
    const currency = products[0].currency;
    if (products.some((product) => product.currency !== currency)) {
      throw new OrderError(OrderErrorCode.CurrencyMismatch, 'All products of an order must have the same currency.');
    }
    const outcome = await this.orders.place({
      id: uuidv7(),
      userId: user.id,
      currency,
      idempotencyKey,
      lines: products.map((product) => ({ productId: product.id, quantity: quantities.get(product.id)!, unitPriceCents: product.priceCents })),
    });
    if (!outcome.ok) {
      throw new OrderError(OrderErrorCode.InventoryInsufficient, `Not enough stock for product ${outcome.productId}; nothing was reserved.`);
    }
    if (!outcome.existing) {
      await this.inventory.stockChanged();
    }
    return outcome.order;
  }

  async cancel(user: AuthenticatedUser, orderId: string): Promise<OrderView> {
    const outcome = await this.orders.cancel(orderId, isAdmin(user) ? undefined : user.id, user.id);
    if (!outcome.ok) {
      throw outcome.reason === 'not_found'
        ? new OrderError(OrderErrorCode.NotFound, 'No such order.')
        : new OrderError(OrderErrorCode.NotCancellable, 'Only a placed order can be cancelled.');
    }
    await this.inventory.stockChanged();
    return outcome.order;
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
    return toPage(rows, limit, (row) => ({ key: row.id, id: row.id }), (row) => row);
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
}
