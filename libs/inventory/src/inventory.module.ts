import { CatalogModule } from '@app/catalog';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DemoCatalogSeed } from './demo-catalog.seed';
import { InventoryController } from './inventory.controller';
import { InventoryService } from './inventory.service';
import { OrderReservationEntity } from './order-reservation.entity';
import { StockLevelEntity } from './stock-level.entity';
import { StockRepository } from './stock.repository';
import { StockMovementEntity } from './stock-movement.entity';
import { WarehouseEntity } from './warehouse.entity';
import { WarehousesController } from './warehouses.controller';
import { WarehousesRepository } from './warehouses.repository';

@Module({
  imports: [
    CatalogModule,
    TypeOrmModule.forFeature([WarehouseEntity, StockLevelEntity, StockMovementEntity, OrderReservationEntity]),
  ],
  controllers: [WarehousesController, InventoryController],
  providers: [WarehousesRepository, StockRepository, InventoryService, DemoCatalogSeed],
  exports: [InventoryService],
})
export class InventoryModule {}
