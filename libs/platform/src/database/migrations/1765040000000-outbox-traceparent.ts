import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OpenTelemetry across the broker, issue #19: `outbox_messages.traceparent` keeps the
 * W3C trace context of the request that wrote the event (NULL when tracing is off),
 * so the relay publishes the message in that trace and its consumer continues it.
 */
export class OutboxTraceparent1765040000000 implements MigrationInterface {
  name = 'OutboxTraceparent1765040000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox_messages ADD traceparent text NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox_messages DROP COLUMN traceparent`);
  }
}
