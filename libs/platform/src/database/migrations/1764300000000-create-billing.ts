import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBilling1764300000000 implements MigrationInterface {
  name = 'CreateBilling1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE plans (
        id uuid PRIMARY KEY,
        code text NOT NULL,
        name text NOT NULL,
        price_cents integer NOT NULL,
        currency char(3) NOT NULL,
        interval text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT plans_interval_check CHECK (interval IN ('month', 'year'))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX plans_code_key ON plans (code)`);
    await queryRunner.query(`
      CREATE TABLE subscriptions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        plan_id uuid NOT NULL,
        status text NOT NULL,
        anchor_at timestamptz NOT NULL,
        current_period_start timestamptz NOT NULL,
        current_period_end timestamptz NOT NULL,
        cancel_at_period_end boolean NOT NULL DEFAULT false,
        canceled_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT subscriptions_status_check CHECK (status IN ('active', 'canceled'))
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX subscriptions_one_live_per_user ON subscriptions (user_id) WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE INDEX subscriptions_due_idx ON subscriptions (current_period_end) WHERE status = 'active'`,
    );
    await queryRunner.query(`
      CREATE TABLE invoices (
        id uuid PRIMARY KEY,
        subscription_id uuid NOT NULL,
        user_id uuid NOT NULL,
        kind text NOT NULL,
        total_cents bigint NOT NULL,
        currency char(3) NOT NULL,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT invoices_kind_check CHECK (kind IN ('initial', 'renewal', 'proration'))
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX invoices_one_per_period ON invoices (subscription_id, period_start) WHERE kind IN ('initial', 'renewal')`,
    );
    await queryRunner.query(`CREATE INDEX invoices_user_idx ON invoices (user_id, id)`);
    await queryRunner.query(`
      CREATE TABLE invoice_lines (
        invoice_id uuid NOT NULL,
        position integer NOT NULL,
        description text NOT NULL,
        amount_cents bigint NOT NULL,
        PRIMARY KEY (invoice_id, position)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE invoice_lines');
    await queryRunner.query('DROP TABLE invoices');
    await queryRunner.query('DROP TABLE subscriptions');
    await queryRunner.query('DROP TABLE plans');
  }
}
