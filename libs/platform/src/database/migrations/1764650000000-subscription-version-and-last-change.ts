import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plan changes that cannot be gamed or lost:
 * - `version` is bumped by every write to a subscription (change, renewal, cancel); a plan
 *   change applies only if the version it was computed on is still there, so the loser of
 *   a race gets a 409 instead of an invoice on stale figures;
 * - `last_changed_at` is when the latest plan change took effect: an admin's back-dated
 *   change may not go before it (the credit-yourself attack replayed a change earlier).
 *   Existing rows take it from their latest proration invoice, whose period starts there.
 */
export class SubscriptionVersionAndLastChange1764650000000 implements MigrationInterface {
  name = 'SubscriptionVersionAndLastChange1764650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subscriptions" ADD "version" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "subscriptions" ADD "last_changed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`
      UPDATE subscriptions s SET last_changed_at = latest.at
        FROM (SELECT subscription_id, max(period_start) AS at FROM invoices WHERE kind = 'proration' GROUP BY subscription_id) latest
       WHERE latest.subscription_id = s.id`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP COLUMN "last_changed_at"`);
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP COLUMN "version"`);
  }
}
