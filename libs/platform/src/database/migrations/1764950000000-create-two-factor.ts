import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two-factor login (TOTP, RFC 6238), issue #18:
 * - `users.mfa_enabled`: whether login asks for a second factor (the profile shows it);
 * - `user_mfa`: the TOTP secret, AES-256-GCM encrypted (never stored in clear), the one
 *   set up but not yet confirmed, and the last time step accepted (a code of that step
 *   or an earlier one is a replay);
 * - `mfa_recovery_codes`: SHA-256 of each single-use code, `used_at` once spent;
 * - `mfa_challenges`: the `mfaToken` of a login waiting for its code (SHA-256, 5 min,
 *   single use).
 */
export class CreateTwoFactor1764950000000 implements MigrationInterface {
  name = 'CreateTwoFactor1764950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD mfa_enabled boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`
      CREATE TABLE user_mfa (
        user_id uuid PRIMARY KEY,
        secret_sealed text NULL,
        pending_secret_sealed text NULL,
        last_step bigint NULL,
        enabled_at timestamptz NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE mfa_recovery_codes (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        code_hash char(64) NOT NULL,
        used_at timestamptz NULL
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX mfa_recovery_codes_user_hash_key ON mfa_recovery_codes (user_id, code_hash)`,
    );
    await queryRunner.query(`
      CREATE TABLE mfa_challenges (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        token_hash char(64) NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX mfa_challenges_hash_key ON mfa_challenges (token_hash)`);
    await queryRunner.query(`CREATE INDEX mfa_challenges_user_idx ON mfa_challenges (user_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE mfa_challenges');
    await queryRunner.query('DROP TABLE mfa_recovery_codes');
    await queryRunner.query('DROP TABLE user_mfa');
    await queryRunner.query('ALTER TABLE users DROP COLUMN mfa_enabled');
  }
}
