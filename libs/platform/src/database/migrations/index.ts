import type { MigrationInterface } from 'typeorm';
import { CreateOutboxAndIdempotency1763900000000 } from './1763900000000-create-outbox-and-idempotency';

/**
 * Every migration, in the order it must run. Migrations live here, in one place,
 * because the schema is one database; the entities live with their features.
 */
export const migrations: Array<new () => MigrationInterface> = [
  CreateOutboxAndIdempotency1763900000000,
];
