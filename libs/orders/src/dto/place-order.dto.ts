import { ID_API_SCHEMA, IsId } from '@app/platform';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, Max, Min, ValidateNested } from 'class-validator';

export class OrderLineDto {
  // No example id: product ids are generated when the demo data is seeded.
  @ApiProperty({ ...ID_API_SCHEMA, description: 'The `id` of an active product, from GET /v1/products' })
  @IsId()
  productId: string;

  @ApiProperty({ type: 'integer', description: '1 to 1000 units', example: 1 })
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity: number;
}

export class PlaceOrderDto {
  /** 1 to 50 lines */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  items: OrderLineDto[];
}
