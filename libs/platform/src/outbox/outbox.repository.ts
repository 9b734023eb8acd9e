import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { Database } from '../database/database';
import { describeIssues, EventContract } from '../messaging/event-contract';
import type { BusMessage } from '../messaging/message-bus';
import { activeTraceparent } from '../tracing/trace-context';

export interface PendingMessage {
  message: BusMessage;
  attempts: number;
  /** The trace of the request that wrote it; null when tracing was off. */
  traceparent: string | null;
}

type OutboxRow = {
  id: string;
  type: string;
  payload: unknown;
  occurred_at: Date;
  attempts: number;
  traceparent: string | null;
};

@Injectable()
export class OutboxRepository {
  constructor(private readonly db: Database) {}

  /**
   * Adds an event to the outbox in the calling service's transaction, so it commits
   * or rolls back with the change; outside a transaction it refuses (an event whose
   * change could roll back without it is the bug this table exists to prevent). With
   * an event contract the payload is typed and checked against its schema first: a
   * payload consumers would reject is a bug here, and it fails the transaction rather
   * than reaching the broker. (A bare type string is for events without a contract yet.)
   */
  async enqueue<TPayload>(event: EventContract<string, TPayload>, payload: TPayload): Promise<BusMessage<TPayload>>;
  async enqueue(type: string, payload: unknown): Promise<BusMessage>;
  async enqueue(event: EventContract | string, payload: unknown): Promise<BusMessage> {
    if (!this.db.inTransaction()) {
      throw new Error('outbox: enqueue must run inside the transaction of the change it announces (@Transactional())');
    }
    let type: string;
    if (typeof event === 'string') {
      type = event;
    } else {
      type = event.type;
      const checked = event.schema.safeParse(payload);
      if (!checked.success) {
        throw new Error(`outbox: ${type} payload breaks its contract: ${describeIssues(checked.error)}`);
      }
      payload = checked.data;
    }
    const message: BusMessage = { id: uuidv7(), type, occurredAt: new Date().toISOString(), payload };
    await this.db.query(
      'INSERT INTO outbox_messages (id, type, payload, occurred_at, traceparent) VALUES ($1, $2, $3, $4, $5)',
      [message.id, message.type, JSON.stringify(message.payload), message.occurredAt, activeTraceparent()],
    );
    return message;
  }

  /**
   * Locks up to `limit` due messages, oldest first, until the caller's transaction ends.
   * `FOR UPDATE SKIP LOCKED` lets several relays (one per worker) share the outbox
   * without ever handing the same row to two of them.
   */
  async lockDue(limit: number): Promise<PendingMessage[]> {
    const rows = await this.db.query<OutboxRow>(
      `SELECT id, type, payload, occurred_at, attempts, traceparent FROM outbox_messages
        WHERE published_at IS NULL AND next_attempt_at <= now()
        ORDER BY occurred_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((row) => ({
      message: { id: row.id, type: row.type, payload: row.payload, occurredAt: row.occurred_at.toISOString() },
      attempts: row.attempts,
      traceparent: row.traceparent,
    }));
  }

  async markPublished(ids: readonly string[]): Promise<void> {
    await this.db.query('UPDATE outbox_messages SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1)', [
      ids,
    ]);
  }

  async markFailed(id: string, error: string, retryInMs: number): Promise<void> {
    await this.db.query(
      `UPDATE outbox_messages SET attempts = attempts + 1, last_error = $2,
         next_attempt_at = now() + ($3 || ' milliseconds')::interval WHERE id = $1`,
      [id, error.slice(0, 500), String(retryInMs)],
    );
  }

  /** Published messages are kept a while for audit, then removed. */
  purgePublishedBefore(cutoff: Date): Promise<number> {
    return this.db.execute('DELETE FROM outbox_messages WHERE published_at IS NOT NULL AND published_at < $1', [
      cutoff,
    ]);
  }
}
