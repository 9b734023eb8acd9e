import { ID_API_SCHEMA, IsId, IsTimestamp, TIMESTAMP_API_SCHEMA, TIMESTAMP_RULE } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class DateRangeQueryDto {
  @ApiPropertyOptional({
    ...TIMESTAMP_API_SCHEMA,
    description: `Inclusive start (default: the beginning): ${TIMESTAMP_RULE}`,
  })
  @IsOptional()
  @IsTimestamp()
  from?: Date;

  @ApiPropertyOptional({
    ...TIMESTAMP_API_SCHEMA,
    description: `Exclusive end, after \`from\` (default: tomorrow): ${TIMESTAMP_RULE}`,
  })
  @IsOptional()
  @IsTimestamp()
  to?: Date;
}

export class RequestReportDto extends DateRangeQueryDto {
  @ApiProperty({ enum: ['orders'] })
  @IsIn(['orders'])
  type: 'orders';

  @ApiProperty({ enum: ['csv', 'ndjson'] })
  @IsIn(['csv', 'ndjson'])
  format: 'csv' | 'ndjson';
}

export class ReportIdParams {
  @ApiProperty(ID_API_SCHEMA)
  @IsId()
  id: string;
}

export class ReportResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['orders'] }) type: 'orders';
  @ApiProperty({ enum: ['csv', 'ndjson'] }) format: 'csv' | 'ndjson';
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) status: 'queued' | 'running' | 'done' | 'failed';
  @ApiProperty({ type: Number, nullable: true }) rowCount: number | null;
  @ApiProperty({ type: Number, nullable: true }) sizeBytes: number | null;
  @ApiPropertyOptional() error?: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class SalesRowResponse {
  @ApiProperty({ example: '2026-11-24' }) day: string;
  @ApiProperty() orders: number;
  @ApiProperty() units: number;
  @ApiProperty({
    type: String,
    pattern: '^-?\\d+$',
    maxLength: 20,
    example: '9007199254740993',
    description:
      'Integer minor units as a string of digits: a sum can exceed 2^53, past which a JSON number loses cents',
  })
  revenueCents: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
}
