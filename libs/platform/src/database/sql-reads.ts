import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import type { StatementNames } from './statement-names';

export type TxHost = TransactionHost<TransactionalAdapterTypeOrm>;

/**
 * Reads of parameterized SQL: on the current transaction's connection when a service opened
 * one (`@Transactional()`), else where the subclass runs statements outside one.
 */
export abstract class SqlReads {
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

  /** Runs a statement outside a transaction. */
  protected abstract runOnPool<Row extends QueryResultRow>(statement: QueryConfig): Promise<QueryResult<Row>>;

  protected async run<Row extends QueryResultRow>(sql: string, params: readonly unknown[]): Promise<QueryResult<Row>> {
    const statement = this.statements.queryConfig(sql, params as unknown[]);
    // Inside a transaction the EntityManager carries its query runner, already connected.
    const runner = this.txHost.tx.queryRunner;
    if (runner) {
      return ((await runner.connect()) as PoolClient).query<Row>(statement);
    }
    return this.runOnPool<Row>(statement);
  }
}

/** The reads `db.replica` offers: `query` and `one`, never `execute`. */
export type LagTolerantReads = Pick<SqlReads, 'query' | 'one'>;
