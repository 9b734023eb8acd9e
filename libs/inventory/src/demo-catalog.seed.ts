import { ProductsService } from '@app/catalog';
import { ROOT_LOGGER, shouldSeedDemoData } from '@app/platform';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { InventoryService } from './inventory.service';

const PRODUCTS = [
  { sku: 'BOOK-NEST', name: 'NestJS in Practice (book)', priceCents: 3900, stock: [40, 10] },
  { sku: 'MUG-FASTIFY', name: 'Fastify mug', priceCents: 1200, stock: [100, 50] },
  { sku: 'SHIRT-TS', name: 'TypeScript t-shirt', priceCents: 2500, stock: [25, 0] },
  { sku: 'STICKER-PG', name: 'PostgreSQL sticker pack', priceCents: 500, stock: [500, 500] },
  { sku: 'HOODIE-REDIS', name: 'Redis hoodie', priceCents: 5500, stock: [0, 8] },
];

/**
 * The demo data of `npm start` on its embedded database: two warehouses and a few
 * products with stock, so a new user can place an order from the Swagger UI at once.
 * Runs only when the database has no warehouse yet.
 */
@Injectable()
export class DemoCatalogSeed implements OnApplicationBootstrap {
  constructor(
    private readonly inventory: InventoryService,
    private readonly products: ProductsService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!shouldSeedDemoData() || (await this.inventory.listWarehouses()).length > 0) {
      return;
    }
    const warehouses = [
      await this.inventory.createWarehouse({ code: 'AMS', name: 'Amsterdam' }),
      await this.inventory.createWarehouse({ code: 'BER', name: 'Berlin' }),
    ];
    for (const item of PRODUCTS) {
      const product = await this.products.create({
        sku: item.sku,
        name: item.name,
        priceCents: item.priceCents,
        currency: 'EUR',
      });
      for (const [index, quantity] of item.stock.entries()) {
        if (quantity > 0) {
          await this.inventory.adjust(undefined, {
            productId: product.id,
            warehouseId: warehouses[index].id,
            delta: quantity,
            reason: 'demo seed',
          });
        }
      }
    }
    this.logger.info(`demo catalog seeded: ${warehouses.length} warehouses, ${PRODUCTS.length} products with stock`);
  }
}
