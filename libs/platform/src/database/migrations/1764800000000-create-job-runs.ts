import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Scheduled jobs run once per period: one row per (job, period start), see JobRunEntity. */
export class CreateJobRuns1764800000000 implements MigrationInterface {
  name = 'CreateJobRuns1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "job_runs" (
        "job" text NOT NULL,
        "period_start" TIMESTAMP WITH TIME ZONE NOT NULL,
        "ran_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        PRIMARY KEY ("job", "period_start")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "job_runs"`);
  }
}
