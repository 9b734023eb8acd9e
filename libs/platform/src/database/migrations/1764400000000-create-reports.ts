import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReports1764400000000 implements MigrationInterface {
  name = 'CreateReports1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reports (
        id uuid PRIMARY KEY,
        requested_by uuid NOT NULL,
        type text NOT NULL,
        format text NOT NULL,
        range_from timestamptz NOT NULL,
        range_to timestamptz NOT NULL,
        status text NOT NULL,
        row_count integer NULL,
        size_bytes bigint NULL,
        error text NULL,
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reports_status_check CHECK (status IN ('queued', 'running', 'done', 'failed'))
      )`);
    await queryRunner.query(`
      CREATE TABLE daily_sales (
        day date NOT NULL,
        currency char(3) NOT NULL,
        orders integer NOT NULL DEFAULT 0,
        units integer NOT NULL DEFAULT 0,
        revenue_cents bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (day, currency)
      )`);
    await queryRunner.query(`
      CREATE TABLE processed_events (
        event_id uuid NOT NULL,
        consumer text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, consumer)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE processed_events');
    await queryRunner.query('DROP TABLE daily_sales');
    await queryRunner.query('DROP TABLE reports');
  }
}
