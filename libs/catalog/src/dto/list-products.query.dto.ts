import { PaginationQueryDto } from '@app/platform';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PRODUCT_FIELDS } from '../product.read-model';

export class ListProductsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ description: 'Substring of the SKU or name', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ description: 'Active products only (default true)', type: Boolean })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    description: `Comma-separated subset of: ${PRODUCT_FIELDS.join(', ')}`,
    type: String,
    example: 'id,name,priceCents',
    maxLength: 200,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').map((field) => field.trim()) : value,
  )
  @IsArray()
  @ArrayMaxSize(PRODUCT_FIELDS.length)
  @IsIn(PRODUCT_FIELDS, { each: true })
  fields?: string[];
}
