import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ProductResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'BOOK-001' })
  sku: string;

  @ApiProperty({ example: 'A good book' })
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ example: 1999 })
  priceCents: number;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty()
  active: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

/** With `fields`, items carry only the fields asked for. */
export class PartialProductResponse {
  @ApiPropertyOptional({ format: 'uuid' }) id?: string;
  @ApiPropertyOptional() sku?: string;
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) description?: string | null;
  @ApiPropertyOptional() priceCents?: number;
  @ApiPropertyOptional() currency?: string;
  @ApiPropertyOptional() active?: boolean;
  @ApiPropertyOptional({ format: 'date-time' }) createdAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) updatedAt?: string;
}

export class ProductPageResponse {
  @ApiProperty({ type: [PartialProductResponse] })
  items: PartialProductResponse[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
