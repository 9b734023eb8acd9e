import { CatalogModule } from '@app/catalog';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DemoCatalogSeed } from './demo-catalog.seed';
import { InventoryController } from './inventory.controller';
import { InventoryRepository } from './inventory.repository';
import { InventoryService } from './inventory.service';
import { OrderReservationEntity } from './order-reservation.entity';
import { StockLedger } from './stock-ledger';
import { StockLevelEntity } from './stock-level.entity';
import { StockMovementEntity } from './stock-movement.entity';
import { WarehouseEntity } from './warehouse.entity';
import { WarehousesController } from './warehouses.controller';

@Module({
  imports: [CatalogModule, TypeOrmModule.forFeature([WarehouseEntity, StockLevelEntity, StockMovementEntity, OrderReservationEntity])],
  controllers: [WarehousesController, InventoryController],
  providers: [InventoryRepository, InventoryService, StockLedger, DemoCatalogSeed],
  exports: [InventoryService, StockLedger],
})
export class InventoryModule {}
