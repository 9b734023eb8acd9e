import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPgPool } from './pg-transactions';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { databaseConfig } from '../config/database.config';
import { ROOT_LOGGER } from '../logging/root-logger';
import { driverPools } from './driver-pools';
import { ReplicaReads } from './replica-reads';
import { LagTolerantReads, SqlReads } from './sql-reads';
import { StatementNames } from './statement-names';

export type { LagTolerantReads } from './sql-reads';

/**
 * The one way a repository reaches PostgreSQL: parameterized SQL, run in the current
 * transaction when the calling service opened one (`@Transactional()`), on the pool
 * otherwise. Repositories never open transactions themselves; services do, so one
 * transaction can span several repositories (see docs/decisions.md, "Data access").
 *
 * Statements go straight to `pg` (the pool TypeORM opened, or the transaction's client):
 * TypeORM's own `query()` adds a query runner per statement outside a transaction, a
 * subscriber broadcast around every statement and an `[rows, count]` answer for UPDATE
 * and DELETE, none of which raw SQL uses. Errors are `pg`'s (`code` is the SQLSTATE).
 * Statements are prepared once per connection unless a pooler forbids it (StatementNames).
 */
@Injectable()
export class Database extends SqlReads {
  private readonly primary: Pool;

  /**
   * Reads that may lag behind the last commit (catalog lists, reports): on a read replica
   * when DATABASE_READ_URLS names any, inside a transaction on its connection (the primary),
   * and without replicas this very object, so the default path costs nothing more.
   */
  readonly replica: LagTolerantReads;

  constructor(
    // Spelled out, not `TxHost`: Nest injects by the emitted class, which an alias loses.
    txHost: TransactionHost<TransactionalAdapterPgPool>,
    @InjectDataSource() dataSource: DataSource,
    @Inject(databaseConfig.KEY) config: ConfigType<typeof databaseConfig>,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    const statements = new StatementNames(config.pooler === 'none');
    super(txHost, statements);
    const { primary, replicas } = driverPools(dataSource);
    this.primary = primary;
    this.replica = replicas.length > 0 ? new ReplicaReads(txHost, statements, replicas, primary, logger) : this;
  }

  /** How many rows an INSERT, UPDATE or DELETE touched. */
  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.run(sql, params)).rowCount ?? 0;
  }

  /** Whether a service's transaction is open here (for repository methods that require one). */
  inTransaction(): boolean {
    return this.txHost.isTransactionActive();
  }

  protected runOnPool<Row extends QueryResultRow>(statement: QueryConfig): Promise<QueryResult<Row>> {
    return this.primary.query<Row>(statement);
  }
}
