import { IsId } from '@app/platform';
import { IsInt, IsString, Length, Max, Min, NotEquals } from 'class-validator';

export class AdjustStockDto {
  @IsId()
  productId: string;

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
