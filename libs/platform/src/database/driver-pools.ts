import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/** Where TypeORM's Postgres driver keeps its `pg` pools; replicas are put there by attachReplicaPools. */
export interface PostgresDriverPools {
  master: Pool;
  slaves: Pool[];
}

/**
 * The `pg` pools behind the DataSource: the primary's, and one per read replica
 * (DATABASE_READ_URLS; none without it). The one reading of TypeORM's driver internals for
 * `Database`, transactions, streams and the replica checks.
 */
export function driverPools(dataSource: DataSource): { primary: Pool; replicas: Pool[] } {
  const driver = dataSource.driver as unknown as PostgresDriverPools;
  return { primary: driver.master, replicas: driver.slaves ?? [] };
}
