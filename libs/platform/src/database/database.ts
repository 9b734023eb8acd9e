import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import { databaseConfig } from '../config/database.config';
import { StatementNames } from './statement-names';

type TxHost = TransactionHost<TransactionalAdapterTypeOrm>;

/**
 * Reads of parameterized SQL: on the current transaction's connection when a service opened
 * one (`@Transactional()`), else on the pool the subclass names.
 */
abstract class SqlReads {
  constructor(
    protected readonly txHost: TxHost,
    private readonly statements: StatementNames,
  ) {}

  /** Every row the statement returns (for INSERT/UPDATE/DELETE: its RETURNING rows). */
  async query<Row extends QueryResultRow = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<Row[]> {
    return (await this.run<Row>(sql, params)).rows;
  }

  /** The statement's first row, or null. */
  async one<Row extends QueryResultRow = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<Row | null> {
    return (await this.run<Row>(sql, params)).rows[0] ?? null;
  }

  /** The pool for a statement outside a transaction. */
  protected abstract pool(): Pool;

  protected async run<Row extends QueryResultRow>(sql: string, params: readonly unknown[]): Promise<QueryResult<Row>> {
    // Inside a transaction the EntityManager carries its query runner, already connected.
    const runner = this.txHost.tx.queryRunner;
    const client: Pool | PoolClient = runner ? ((await runner.connect()) as PoolClient) : this.pool();
    return client.query<Row>(this.statements.queryConfig(sql, params as unknown[]));
  }
}

/** The reads `db.replica` offers: `query` and `one`, never `execute`. */
export type LagTolerantReads = Pick<SqlReads, 'query' | 'one'>;

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
    txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    @InjectDataSource() dataSource: DataSource,
    @Inject(databaseConfig.KEY) config: ConfigType<typeof databaseConfig>,
  ) {
    const statements = new StatementNames(config.pooler === 'none');
    super(txHost, statements);
    const driver = dataSource.driver as unknown as { master: Pool; slaves?: Pool[] };
    this.primary = driver.master;
    this.replica = driver.slaves?.length ? new ReplicaReads(txHost, statements, driver.slaves) : this;
  }

  /** How many rows an INSERT, UPDATE or DELETE touched. */
  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.run(sql, params)).rowCount ?? 0;
  }

  /** Whether a service's transaction is open here (for repository methods that require one). */
  inTransaction(): boolean {
    return this.txHost.isTransactionActive();
  }

  protected pool(): Pool {
    return this.primary;
  }
}

/** The replicas' pools taken in turn; a transaction's reads stay on its connection. */
class ReplicaReads extends SqlReads {
  private next = 0;

  constructor(
    txHost: TxHost,
    statements: StatementNames,
    private readonly pools: Pool[],
  ) {
    super(txHost, statements);
  }

  /** The next replica's pool, in turn. */
  protected pool(): Pool {
    const pool = this.pools[this.next];
    this.next = (this.next + 1) % this.pools.length;
    return pool;
  }
}
