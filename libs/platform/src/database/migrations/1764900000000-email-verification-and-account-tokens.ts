import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts (#18), email and password reset:
 * - `users.email_verified_at`: when the owner proved the address (null: not yet);
 * - `account_tokens`: single-use tokens mailed to the user (verify an email, reset a
 *   password), stored only as their SHA-256; `used_at` is set when one is spent.
 */
export class EmailVerificationAndAccountTokens1764900000000 implements MigrationInterface {
  name = 'EmailVerificationAndAccountTokens1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD email_verified_at timestamptz NULL`);
    await queryRunner.query(`
      CREATE TABLE account_tokens (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        purpose text NOT NULL,
        token_hash char(64) NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT account_tokens_purpose_check CHECK (purpose IN ('verify-email', 'password-reset'))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX account_tokens_hash_key ON account_tokens (token_hash)`);
    await queryRunner.query(`CREATE INDEX account_tokens_user_idx ON account_tokens (user_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE account_tokens');
    await queryRunner.query('ALTER TABLE users DROP COLUMN email_verified_at');
  }
}
