import type { TransactionHost } from '@nestjs-cls/transactional';
import type { QueryConfig, QueryResult, QueryResultRow } from 'pg';
import type { TransactionalAdapterPgPool } from './pg-transactions';
import type { StatementNames } from './statement-names';

export type TxHost = TransactionHost<TransactionalAdapterPgPool>;

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
    // Inside a transaction: its connection (TransactionalAdapterPgPool).
    const client = this.txHost.tx.client;
    if (client) {
      return client.query<Row>(statement);
    }
    return this.runOnPool<Row>(statement);
  }
}

/** The reads `db.replica` offers: `query` and `one`, never `execute`. */
export type LagTolerantReads = Pick<SqlReads, 'query' | 'one'>;
