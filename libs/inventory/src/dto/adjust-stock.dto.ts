import { ID_API_SCHEMA, IsId } from '@app/platform';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Max, Min, NotEquals } from 'class-validator';

export class AdjustStockDto {
  @ApiProperty(ID_API_SCHEMA)
  @IsId()
  productId: string;

  @ApiProperty(ID_API_SCHEMA)
  @IsId()
  warehouseId: string;

  /** Units added (positive) or removed (negative) */
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  @NotEquals(0)
  delta: number;

  @IsString()
  @Length(1, 200)
  reason: string;
}
