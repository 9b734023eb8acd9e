import { ApiProperty } from '@nestjs/swagger';

export class WarehouseResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'WH-A' }) code: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class StockResponse {
  @ApiProperty({ format: 'uuid' }) warehouseId: string;
  @ApiProperty() onHand: number;
  @ApiProperty() reserved: number;
  @ApiProperty() available: number;
}

export class ProductInventoryResponse {
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty() onHand: number;
  @ApiProperty() reserved: number;
  @ApiProperty() available: number;
  @ApiProperty({ type: [StockResponse] }) warehouses: StockResponse[];
}

export class WarehouseTotalsResponse extends StockResponse {
  @ApiProperty() code: string;
}

export class InventoryTotalsResponse {
  @ApiProperty() onHand: number;
  @ApiProperty() reserved: number;
  @ApiProperty() available: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', pattern: '^-?\\d+$', maxLength: 40 },
    example: { EUR: '9007199254740993' },
    description:
      'Stock value per currency, in integer minor units as a string of digits: a sum can exceed 2^53, past which a JSON number loses cents',
  })
  valueCents: Record<string, string>;
  @ApiProperty({ type: [WarehouseTotalsResponse] }) byWarehouse: WarehouseTotalsResponse[];
}
