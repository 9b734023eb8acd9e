import { IsInt, IsString, IsUUID, Length, Max, Min, NotEquals } from 'class-validator';

export class AdjustStockDto {
  @IsUUID()
  productId: string;

  @IsUUID()
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
