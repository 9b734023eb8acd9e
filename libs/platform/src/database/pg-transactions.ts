import type { TransactionalAdapter, TransactionalAdapterOptions } from '@nestjs-cls/transactional';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { driverPools } from './driver-pools';

/** What `TransactionHost.tx` holds: the open transaction's connection; none outside one. */
export interface SqlTransaction {
  readonly client?: PoolClient;
}

export interface SqlTransactionOptions {
  isolationLevel?: 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';
}

const OUTSIDE: SqlTransaction = Object.freeze({});

/**
 * nestjs-cls's transactional plugin over the `pg` pool TypeORM opened: `@Transactional()`
 * takes a connection, sends BEGIN, runs the method, sends COMMIT (ROLLBACK when it throws)
 * and hands the connection back. Every repository statement already goes to `pg` directly
 * (`Database`); TypeORM's own transaction added, for BEGIN and COMMIT alone, a query runner,
 * an entity manager and subscriber broadcasts around each (measured: docs/performance.md).
 * A connection whose ROLLBACK fails is destroyed, never handed out again mid-transaction.
 */
export class TransactionalAdapterPgPool implements TransactionalAdapter<
  DataSource,
  SqlTransaction,
  SqlTransactionOptions
> {
  readonly connectionToken = getDataSourceToken();

  readonly optionsFactory = (
    dataSource: DataSource,
  ): TransactionalAdapterOptions<SqlTransaction, SqlTransactionOptions> => {
    // The driver's pool exists once the DataSource is initialized, which its provider awaits.
    const pool = () => driverPools(dataSource).primary;
    let savepoints = 0;
    return {
      wrapWithTransaction: async (options, fn, setTx) => {
        const client = await pool().connect();
        const begin = options?.isolationLevel ? `BEGIN ISOLATION LEVEL ${options.isolationLevel}` : 'BEGIN';
        let broken: Error | undefined;
        // A checked-out client has no listener of the pool's: a connection lost mid-transaction
        // would otherwise be an unhandled 'error' event, which ends the process.
        const onConnectionError = (error: Error) => (broken ??= error);
        client.on('error', onConnectionError);
        try {
          return await inTransaction<unknown>(client, [begin, 'COMMIT', 'ROLLBACK'], setTx, fn, onConnectionError);
        } finally {
          client.off('error', onConnectionError);
          client.release(broken);
        }
      },
      // Propagation.Nested: a savepoint on the enclosing transaction's connection.
      wrapWithNestedTransaction: (_options, fn, setTx, tx) => {
        const client = tx.client!;
        const name = `nested_${++savepoints}`;
        const statements = [`SAVEPOINT ${name}`, `RELEASE SAVEPOINT ${name}`, `ROLLBACK TO SAVEPOINT ${name}`] as const;
        // A savepoint that cannot be rolled back fails the enclosing transaction, whose ROLLBACK decides.
        return inTransaction<unknown>(client, statements, setTx, fn, () => undefined);
      },
      getFallbackInstance: () => OUTSIDE,
    };
  };
}

/** Opens, runs and ends one (sub)transaction; `onBroken` hears of a connection that could not roll back. */
async function inTransaction<T>(
  client: PoolClient,
  [open, commit, rollback]: readonly [string, string, string],
  setTx: (tx: SqlTransaction) => void,
  fn: () => Promise<T>,
  onBroken: (error: Error) => void,
): Promise<T> {
  try {
    await client.query(open);
    setTx({ client });
    const result = await fn();
    await client.query(commit);
    return result;
  } catch (error) {
    await client.query(rollback).catch(onBroken);
    throw error;
  }
}
