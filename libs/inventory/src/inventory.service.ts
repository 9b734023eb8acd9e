import { ProductsService } from '@app/catalog';
import { CacheAside, Propagation, Transactional } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { InventoryError, InventoryErrorCode } from './inventory.errors';
import { allocate } from './stock-allocation';
import { InventoryTotals, MAX_ON_HAND, StockRepository, StockView } from './stock.repository';
import { WarehousesRepository, WarehouseView } from './warehouses.repository';

/**
 * GET /v1/inventory/totals caches its response under this key; every stock change
 * invalidates it. v2: valueCents became strings; entries cached in the old shape are never read.
 */
export const TOTALS_CACHE_KEY = 'inventory:totals:v2';

export interface ProductInventory {
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
  warehouses: StockView[];
}

export interface ReservationLine {
  productId: string;
  quantity: number;
}

@Injectable()
export class InventoryService {
  constructor(
    private readonly warehouses: WarehousesRepository,
    private readonly stock: StockRepository,
    private readonly products: ProductsService,
    private readonly cache: CacheAside,
  ) {}

  async createWarehouse(input: { code: string; name: string }): Promise<WarehouseView> {
    const created = await this.warehouses.create({ id: uuidv7(), code: input.code, name: input.name });
    if (!created) {
      throw new InventoryError(InventoryErrorCode.WarehouseCodeTaken, 'A warehouse with this code already exists.');
    }
    await this.stockChanged();
    return created;
  }

  listWarehouses(): Promise<WarehouseView[]> {
    return this.warehouses.list();
  }

  async adjust(
    actorId: string | undefined,
    input: { productId: string; warehouseId: string; delta: number; reason: string },
  ): Promise<StockView> {
    await this.products.get(input.productId);
    if (!(await this.warehouses.exists(input.warehouseId))) {
      throw new InventoryError(InventoryErrorCode.WarehouseNotFound, 'No such warehouse.');
    }
    const result = await this.changeOnHand({ ...input, actorId });
    await this.stockChanged();
    return result;
  }

  async ofProduct(productId: string): Promise<ProductInventory> {
    await this.products.get(productId);
    const warehouses = await this.stock.levelsOf(productId);
    const onHand = warehouses.reduce((sum, w) => sum + w.onHand, 0);
    const reserved = warehouses.reduce((sum, w) => sum + w.reserved, 0);
    return { productId, onHand, reserved, available: onHand - reserved, warehouses };
  }

  /** Uncached: its route caches the response under TOTALS_CACHE_KEY, which stockChanged() invalidates. */
  totals(): Promise<InventoryTotals> {
    return this.stock.totals();
  }

  /**
   * Reserves every line of an order, in the caller's transaction (orders place through
   * it). Products are locked in id order and each product's warehouses by code: one
   * global lock order, so concurrent orders never deadlock and never oversell. A line
   * that no set of warehouses can cover throws 409 INVENTORY_INSUFFICIENT, which rolls
   * back whatever the transaction reserved so far.
   */
  @Transactional(Propagation.Mandatory)
  async reserve(orderId: string, actorId: string, lines: readonly ReservationLine[]): Promise<void> {
    const sorted = [...lines].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
    for (const line of sorted) {
      const allocations = allocate(await this.stock.lockAvailable(line.productId), line.quantity);
      if (!allocations) {
        throw new InventoryError(
          InventoryErrorCode.Insufficient,
          `Not enough stock for product ${line.productId}; nothing was reserved.`,
        );
      }
      await this.stock.reserve(orderId, line.productId, allocations, actorId);
    }
  }

  /** Releases everything an order reserved (on cancel), in the caller's transaction and the same lock order. */
  @Transactional(Propagation.Mandatory)
  async release(orderId: string, actorId: string): Promise<void> {
    for (const { productId, warehouseId, quantity } of await this.stock.reservationsOf(orderId)) {
      await this.stock.unreserve(productId, warehouseId, quantity);
      await this.stock.recordMovement({
        productId,
        warehouseId,
        onHandDelta: 0,
        reservedDelta: -quantity,
        reason: 'order.release',
        orderId,
        actorId,
      });
    }
  }

  /** Called after any committed stock change, before the response goes out. */
  stockChanged(): Promise<void> {
    return this.cache.invalidate(TOTALS_CACHE_KEY);
  }

  /** The on-hand change and its ledger row, together or not at all. */
  @Transactional()
  private async changeOnHand(change: {
    productId: string;
    warehouseId: string;
    delta: number;
    reason: string;
    actorId?: string;
  }): Promise<StockView> {
    await this.stock.ensureLevel(change.productId, change.warehouseId);
    const level = await this.stock.changeOnHand(change.productId, change.warehouseId, change.delta);
    if (!level) {
      // Which bound refused it: a positive delta can only hit the top one.
      throw change.delta > 0
        ? new InventoryError(
            InventoryErrorCode.LimitExceeded,
            `On-hand stock cannot exceed ${MAX_ON_HAND} units in one warehouse.`,
          )
        : new InventoryError(InventoryErrorCode.Insufficient, 'On-hand stock cannot drop below what is reserved.');
    }
    await this.stock.recordMovement({ ...change, onHandDelta: change.delta, reservedDelta: 0 });
    return level;
  }
}
