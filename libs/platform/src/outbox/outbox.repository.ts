import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { uuidv7 } from 'uuidv7';
import { DataSource, EntityManager } from 'typeorm';
import { describeIssues, EventContract } from '../messaging/event-contract';
import type { BusMessage } from '../messaging/message-bus';
import { OutboxMessageEntity } from './outbox-message.entity';

export interface PendingMessage {
  message: BusMessage;
  attempts: number;
}

@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Adds an event to the outbox inside the caller's transaction (`manager` is the
   * transaction's EntityManager), so it commits or rolls back with the change. With
   * an event contract the payload is typed and checked against its schema first: a
   * payload consumers would reject is a bug here, and it fails the transaction
   * rather than reaching the broker. (A bare type string is for events without a
   * contract yet.)
   */
  async enqueue<TPayload>(manager: EntityManager, event: EventContract<string, TPayload>, payload: TPayload): Promise<BusMessage<TPayload>>;
  async enqueue(manager: EntityManager, type: string, payload: unknown): Promise<BusMessage>;
  async enqueue(manager: EntityManager, event: EventContract | string, payload: unknown): Promise<BusMessage> {
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
    await manager.insert(OutboxMessageEntity, {
      id: message.id,
      type: message.type,
      payload: message.payload as object,
      occurredAt: new Date(message.occurredAt),
    });
    return message;
  }

  /**
   * Claims up to `limit` due messages for the duration of `work`, oldest first.
   * `FOR UPDATE SKIP LOCKED` lets several relays (one per worker) share the outbox
   * without ever handing the same row to two of them.
   */
  async withDueBatch(
    limit: number,
    work: (batch: PendingMessage[]) => Promise<{ published: string[]; failed: Array<{ id: string; error: string; retryInMs: number }> }>,
  ): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<
        Array<{ id: string; type: string; payload: unknown; occurred_at: Date; attempts: number }>
      >(
        `SELECT id, type, payload, occurred_at, attempts FROM outbox_messages
          WHERE published_at IS NULL AND next_attempt_at <= now()
          ORDER BY occurred_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) {
        return 0;
      }
      const outcome = await work(
        rows.map((row) => ({
          message: { id: row.id, type: row.type, payload: row.payload, occurredAt: row.occurred_at.toISOString() },
          attempts: row.attempts,
        })),
      );
      if (outcome.published.length > 0) {
        await manager.query('UPDATE outbox_messages SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1)', [
          outcome.published,
        ]);
      }
      for (const failure of outcome.failed) {
        await manager.query(
          `UPDATE outbox_messages SET attempts = attempts + 1, last_error = $2,
             next_attempt_at = now() + ($3 || ' milliseconds')::interval WHERE id = $1`,
          [failure.id, failure.error.slice(0, 500), String(failure.retryInMs)],
        );
      }
      return rows.length;
    });
  }

  /** Published messages are kept a while for audit, then removed. */
  async purgePublishedBefore(cutoff: Date): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(OutboxMessageEntity)
      .where('published_at IS NOT NULL AND published_at < :cutoff', { cutoff })
      .execute();
    return result.affected ?? 0;
  }

}
