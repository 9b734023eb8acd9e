import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '../logging/root-logger';
import { driverPools, PostgresDriverPools } from './driver-pools';
import { isReplicaUnreachable } from './replica-reads';

/**
 * Gives TypeORM's driver one pool per read replica (DATABASE_READ_URLS) after the DataSource
 * started on the primary alone. TypeORM's own replication mode opens a first connection to
 * every replica inside `initialize()` and fails the start when one does not answer: a
 * replica being rebuilt kept every new API process down. These pools connect on first use;
 * they take the primary pool's settings (size, timeouts, application name, statement
 * timeout) and its error listeners, and TypeORM ends them with the rest at shutdown.
 */
export function attachReplicaPools(dataSource: DataSource, readUrls: readonly string[]): void {
  if (readUrls.length === 0) {
    return;
  }
  const driver = dataSource.driver as unknown as PostgresDriverPools;
  const settings = (driver.master as unknown as { options: Record<string, unknown> }).options;
  driver.slaves = readUrls.map((url) => {
    const pool = new Pool({ ...settings, connectionString: url });
    for (const listener of driver.master.listeners('error')) {
      pool.on('error', listener as (error: Error) => void);
    }
    return pool;
  });
  // `isReplicated` stays false: TypeORM routes nothing to a replica by itself (its query
  // builder's reads would default to one); only `db.replica` and `hold({ replica })` use them.
}

/**
 * At start, one connection to each replica: one that cannot be reached is logged and its
 * reads go to the primary until it answers (ReplicaReads); one that answers with an error
 * (a wrong password, an unknown database) fails the start, since that is a misconfiguration,
 * not an outage.
 */
@Injectable()
export class ReplicaStartupCheck implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const { replicas } = driverPools(this.dataSource);
    await Promise.all(
      replicas.map(async (pool, replica) => {
        try {
          (await pool.connect()).release();
        } catch (error) {
          if (!isReplicaUnreachable(error)) {
            // The start fails: its pools (the primary's too) must not keep the process alive.
            await this.dataSource.destroy().catch(() => undefined);
            throw error;
          }
          this.logger.warn(
            { replica, err: error instanceof Error ? error.message : String(error) },
            'read replica unreachable at start: its reads go to the primary until it answers',
          );
        }
      }),
    );
  }
}
