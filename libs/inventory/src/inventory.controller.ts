import { AdminRoute, AuthenticatedUser, CachedResponse, CurrentUser, ProblemDetailsDto } from '@app/platform';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AdjustStockDto } from './dto/adjust-stock.dto';
import { InventoryTotalsResponse, ProductInventoryResponse, StockResponse } from './dto/inventory.response';
import { InventoryProductParams } from './dto/product-id.params';
import { InventoryService, TOTALS_CACHE_KEY } from './inventory.service';

@ApiTags('inventory')
@AdminRoute()
@Controller('inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Get('totals')
  @ApiOperation({ summary: 'Stock and stock value totals, aggregated in SQL and cached (admin)' })
  @ApiOkResponse({ type: InventoryTotalsResponse, description: 'Headers: X-Cache, ETag' })
  @CachedResponse({ key: () => TOTALS_CACHE_KEY, name: 'inventory-totals' })
  totals(): Promise<InventoryTotalsResponse> {
    return this.inventory.totals();
  }

  @Get(':productId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "A product's stock per warehouse (admin)" })
  @ApiOkResponse({ type: ProductInventoryResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'PRODUCT_NOT_FOUND' })
  ofProduct(@Param() params: InventoryProductParams): Promise<ProductInventoryResponse> {
    return this.inventory.ofProduct(params.productId);
  }

  @Post('adjustments')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Add or remove on-hand stock, with a ledger row (admin)' })
  @ApiCreatedResponse({ type: StockResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'PRODUCT_NOT_FOUND or WAREHOUSE_NOT_FOUND' })
  @ApiConflictResponse({
    type: ProblemDetailsDto,
    description: 'INVENTORY_INSUFFICIENT: on hand would drop below reserved',
  })
  @ApiUnprocessableEntityResponse({
    type: ProblemDetailsDto,
    description: 'INVENTORY_LIMIT_EXCEEDED: on hand would pass 2,147,483,647 units in the warehouse',
  })
  adjust(@CurrentUser() user: AuthenticatedUser, @Body() body: AdjustStockDto): Promise<StockResponse> {
    return this.inventory.adjust(user.id, body);
  }
}
