import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

export type ReportStatus = 'queued' | 'running' | 'done' | 'failed';

@Entity('reports')
@Check('reports_status_check', `status IN ('queued', 'running', 'done', 'failed')`)
export class ReportEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'requested_by' }) requestedBy: string;
  @Column('text') type: 'orders';
  @Column('text') format: 'csv' | 'ndjson';
  @Column('timestamptz', { name: 'range_from' }) rangeFrom: Date;
  @Column('timestamptz', { name: 'range_to' }) rangeTo: Date;
  @Column('text') status: ReportStatus;
  @Column('integer', { name: 'row_count', nullable: true }) rowCount: number | null;
  @Column('bigint', { name: 'size_bytes', nullable: true }) sizeBytes: string | null;
  @Column('text', { nullable: true }) error: string | null;
  @Column('integer', { default: 0 }) attempts: number;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}

/** Daily sales per currency, kept by the worker from order events. */
@Entity('daily_sales')
export class DailySalesEntity {
  @PrimaryColumn('date') day: string;
  @PrimaryColumn('char', { length: 3 }) currency: string;
  @Column('integer', { default: 0 }) orders: number;
  @Column('integer', { default: 0 }) units: number;
  @Column('bigint', { name: 'revenue_cents', default: 0 }) revenueCents: string;
}

/** Event ids already applied to the rollup: a redelivered event changes nothing. */
@Entity('processed_events')
export class ProcessedEventEntity {
  @PrimaryColumn('uuid', { name: 'event_id' }) eventId: string;
  @PrimaryColumn('text') consumer: string;
  @Column('timestamptz', { name: 'processed_at', default: () => 'now()' }) processedAt: Date;
}
