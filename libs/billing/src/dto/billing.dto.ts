import { ID_API_SCHEMA, IsId, IsTimestamp, TIMESTAMP_API_SCHEMA, TIMESTAMP_RULE } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

export class CreatePlanDto {
  @IsString()
  @Length(1, 64)
  @Matches(/^[\w.-]+$/)
  code: string;

  @IsString()
  @Length(1, 200)
  name: string;

  @IsInt()
  @Min(0)
  @Max(100_000_000)
  priceCents: number;

  @ApiProperty({ description: 'ISO 4217 code', example: 'EUR', minLength: 3, maxLength: 3, pattern: '^[A-Z]{3}$' })
  @IsISO4217CurrencyCode()
  currency: string;

  @ApiProperty({ enum: ['month', 'year'] })
  @IsIn(['month', 'year'])
  interval: 'month' | 'year';
}

export class SubscribeDto {
  @ApiProperty(ID_API_SCHEMA)
  @IsId()
  planId: string;
}

export class ChangePlanDto {
  @ApiProperty(ID_API_SCHEMA)
  @IsId()
  planId: string;

  @ApiPropertyOptional({
    ...TIMESTAMP_API_SCHEMA,
    description: `When the change takes effect (default now); must lie in the current period: ${TIMESTAMP_RULE}`,
  })
  @IsOptional()
  @IsTimestamp()
  at?: Date;
}

export class ProrationPreviewQueryDto extends ChangePlanDto {}

export class CancelSubscriptionDto {
  /** true: cancel when the current period ends; false: at once */
  @IsBoolean()
  atPeriodEnd: boolean;
}

export class IdParams {
  @ApiProperty(ID_API_SCHEMA)
  @IsId()
  id: string;
}
