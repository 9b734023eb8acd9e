import { AdminRoute, ProblemDetailsDto } from '@app/platform';
import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateWarehouseDto } from './dto/create-warehouse.dto';
import { WarehouseResponse } from './dto/inventory.response';
import { InventoryService } from './inventory.service';

@ApiTags('inventory')
@AdminRoute()
@Controller('warehouses')
export class WarehousesController {
  constructor(private readonly inventory: InventoryService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a warehouse (admin)' })
  @ApiCreatedResponse({ type: WarehouseResponse })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'WAREHOUSE_CODE_TAKEN' })
  create(@Body() body: CreateWarehouseDto): Promise<WarehouseResponse> {
    return this.inventory.createWarehouse(body);
  }

  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'List warehouses by code (admin)' })
  @ApiOkResponse({ type: [WarehouseResponse] })
  list(): Promise<WarehouseResponse[]> {
    return this.inventory.listWarehouses();
  }
}
