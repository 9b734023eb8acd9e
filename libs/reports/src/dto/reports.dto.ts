import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsUUID } from 'class-validator';

export class DateRangeQueryDto {
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Inclusive start (default: the beginning)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Exclusive end (default: tomorrow)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
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
  @IsUUID()
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
    description: 'Integer minor units as a string of digits: a sum can exceed 2^53, past which a JSON number loses cents',
  })
  revenueCents: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
}
