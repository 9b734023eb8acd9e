import type { MigrationInterface } from 'typeorm';

/**
 * Every migration, in the order it must run. Migrations live here, in one place,
 * because the schema is one database; the entities live with their features.
 */
export const migrations: Array<new () => MigrationInterface> = [];
