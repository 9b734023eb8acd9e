import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';

/**
 * The one way a repository reaches PostgreSQL: parameterized SQL, run in the current
 * transaction when the calling service opened one (`@Transactional()`), on the pool
 * otherwise. Repositories never open transactions themselves; services do, so one
 * transaction can span several repositories (see docs/decisions.md, "Data access").
 */
@Injectable()
export class Database {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /** Every row the statement returns (for INSERT/UPDATE/DELETE: its RETURNING rows). */
  async query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.run(sql, params);
    return isUpdateResult(result) ? (result[0] as Row[]) : (result as Row[]);
  }

  /** The statement's first row, or null. */
  async one<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<Row | null> {
    const rows = await this.query<Row>(sql, params);
    return rows[0] ?? null;
  }

  /** An UPDATE's or DELETE's affected row count. */
  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    const result = await this.run(sql, params);
    return isUpdateResult(result) ? result[1] : 0;
  }

  /** Whether a service's transaction is open here (for repository methods that require one). */
  inTransaction(): boolean {
    return this.txHost.isTransactionActive();
  }

  private run(sql: string, params: readonly unknown[]): Promise<unknown> {
    return this.txHost.tx.query(sql, params as unknown[]);
  }
}

/** TypeORM answers an UPDATE or DELETE on PostgreSQL with `[rows, affectedCount]` (rows are objects, never arrays). */
function isUpdateResult(result: unknown): result is [unknown[], number] {
  return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number';
}
