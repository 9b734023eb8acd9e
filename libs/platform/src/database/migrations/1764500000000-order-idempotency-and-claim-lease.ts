import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exactly-once order placement across failures:
 * - an order remembers the Idempotency-Key it was placed with (unique per customer),
 *   so a retry after a lost response finds the committed order instead of placing
 *   a second one;
 * - an in-progress idempotency claim holds a lease, so a claim whose request died
 *   with the database (and could not be released) can be taken over once it lapses.
 */
export class OrderIdempotencyAndClaimLease1764500000000 implements MigrationInterface {
  name = 'OrderIdempotencyAndClaimLease1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "orders" ADD "idempotency_key" text`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "orders_user_idempotency_key_uidx" ON "orders" ("user_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "idempotency_keys" ADD "locked_until" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "idempotency_keys" DROP COLUMN "locked_until"`);
    await queryRunner.query(`DROP INDEX "orders_user_idempotency_key_uidx"`);
    await queryRunner.query(`ALTER TABLE "orders" DROP COLUMN "idempotency_key"`);
  }
}
