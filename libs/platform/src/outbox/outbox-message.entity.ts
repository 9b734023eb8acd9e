import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A message waiting to be published, written in the same transaction as the change
 * it announces: it exists if and only if that change committed.
 */
@Entity('outbox_messages')
@Index('outbox_messages_pending_idx', ['nextAttemptAt'], { where: 'published_at IS NULL' })
export class OutboxMessageEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  type: string;

  @Column('jsonb')
  payload: unknown;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt: Date | null;

  @Column('integer', { default: 0 })
  attempts: number;

  @Column('timestamptz', { name: 'next_attempt_at', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  /** The W3C traceparent of the request that wrote it (tracing on), so its consumer joins that trace. */
  @Column('text', { nullable: true })
  traceparent: string | null;
}
