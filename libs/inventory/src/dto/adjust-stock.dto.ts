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

  // Stated explicitly: the Swagger plugin drops a property whose @Min() is a negative
  // number with `_` separators (test/contract/openapi-dto-coverage.e2e-spec.ts).
  @ApiProperty({
    type: 'integer',
    minimum: -1_000_000,
    maximum: 1_000_000,
    not: { enum: [0] },
    description: 'Units added (positive) or removed (negative), never 0',
    example: 10,
  })
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  @NotEquals(0)
  delta: number;

  @IsString()
  @Length(1, 200)
  reason: string;
}
