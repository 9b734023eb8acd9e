import { ID_API_SCHEMA, IsId } from '@app/platform';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, Max, Min, ValidateNested } from 'class-validator';

export class OrderLineDto {
  @ApiProperty(ID_API_SCHEMA)
  @IsId()
  productId: string;

  /** 1 to 1000 units */
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
