import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsISO4217CurrencyCode, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

export class CreateProductDto {
  /** Stock keeping unit, unique */
  @IsString()
  @Length(1, 64)
  @Matches(/^[\w.-]+$/)
  sku: string;

  @IsString()
  @Length(1, 200)
  name: string;

  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string;

  /** Price in minor units (cents) */
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  priceCents: number;

  /** ISO 4217 code, e.g. EUR */
  @ApiProperty({ description: 'ISO 4217 code', example: 'EUR', minLength: 3, maxLength: 3, pattern: '^[A-Z]{3}$' })
  @IsISO4217CurrencyCode()
  currency: string;
}
