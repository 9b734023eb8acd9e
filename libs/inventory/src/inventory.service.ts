import { ProductsService } from '@app/catalog';
import { CacheAside, CacheResult } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { InventoryError, InventoryErrorCode } from './inventory.errors';
import { InventoryRepository, InventoryTotals, MAX_ON_HAND, StockView, WarehouseView } from './inventory.repository';

// v2: valueCents became strings; entries cached in the old shape are never read.
const TOTALS_KEY = 'inventory:totals:v2';

export interface ProductInventory {
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
  warehouses: StockView[];
}

@Injectable()
export class InventoryService {
  constructor(
    private readonly inventory: InventoryRepository,
    private readonly products: ProductsService,
    private readonly cache: CacheAside,
  ) {}

  async createWarehouse(input: { code: string; name: string }): Promise<WarehouseView> {
    const created = await this.inventory.createWarehouse({ id: uuidv7(), code: input.code, name: input.name });
    if (!created) {
      throw new InventoryError(InventoryErrorCode.WarehouseCodeTaken, 'A warehouse with this code already exists.');
    }
    await this.stockChanged();
    return created;
  }

  listWarehouses(): Promise<WarehouseView[]> {
    return this.inventory.listWarehouses();
  }

  async adjust(actorId: string | undefined, input: { productId: string; warehouseId: string; delta: number; reason: string }): Promise<StockView> {
    await this.products.get(input.productId);
    if (!(await this.inventory.warehouseExists(input.warehouseId))) {
      throw new InventoryError(InventoryErrorCode.WarehouseNotFound, 'No such warehouse.');
    }
    const result = await this.inventory.adjust({ ...input, actorId });
    if (result === 'insufficient') {
      throw new InventoryError(InventoryErrorCode.Insufficient, 'On-hand stock cannot drop below what is reserved.');
    }
    if (result === 'limit_exceeded') {
      throw new InventoryError(InventoryErrorCode.LimitExceeded, `On-hand stock cannot exceed ${MAX_ON_HAND} units in one warehouse.`);
    }
    await this.stockChanged();
    return result;
  }

  async ofProduct(productId: string): Promise<ProductInventory> {
    await this.products.get(productId);
    const warehouses = await this.inventory.stockOf(productId);
    const onHand = warehouses.reduce((sum, w) => sum + w.onHand, 0);
    const reserved = warehouses.reduce((sum, w) => sum + w.reserved, 0);
    return { productId, onHand, reserved, available: onHand - reserved, warehouses };
  }

  /** Cached; every stock change (adjustment, order placed or cancelled) invalidates it. */
  totals(): Promise<CacheResult<InventoryTotals>> {
    return this.cache.getOrLoad(TOTALS_KEY, () => this.inventory.totals(), { name: 'inventory-totals' });
  }

  /** Called after any committed stock change, before the response goes out. */
  stockChanged(): Promise<void> {
    return this.cache.invalidate(TOTALS_KEY);
  }
}
