import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPgPool } from './pg-transactions';
import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import { isReplicaUnreachable } from './replica-reads';

/**
 * A pool connection held for one stream's life, with the driver's own client: for the
 * statements `Database` cannot run because their rows arrive as a stream (a `COPY ... TO
 * STDOUT` through pg-copy-streams, batched reads on one connection). Whoever holds it
 * ends it exactly one way: `finish()` when the stream ended, `discard()` when it failed
 * or was destroyed.
 */
export interface HeldConnection {
  readonly client: PoolClient;
  /**
   * The stream ended cleanly: COMMIT (when `hold` opened a transaction), then back to the
   * pool. A failed COMMIT (the connection died after the last row) closes the connection
   * and rejects, so the stream still fails. Rejects when the connection was discarded.
   */
  finish(): Promise<void>;
  /**
   * A failure, or a stream destroyed with a statement possibly still running: the
   * connection is closed (its socket destroyed at once), never reused. A no-op once the
   * connection was finished or discarded, so it can be called from a 'close' listener.
   */
  discard(): void;
  /**
   * What to report for a statement that failed on this connection: the connection's own
   * error when it died while held (a terminated backend, a server restart), since the
   * statements after that fail with a bare "not queryable"; otherwise `error` itself.
   */
  failureOf(error: unknown): unknown;
}

export interface HoldOptions {
  /**
   * Run the stream's statements in `BEGIN READ ONLY` (one snapshot) with this
   * `statement_timeout` in ms (0 = none) instead of the pool's per-statement one: a
   * single COPY lives as long as its slowest reader.
   */
  readOnlyTransaction?: { statementTimeoutMs: number };
  /**
   * The stream's reads tolerate lag (exports): hold a replica's connection when
   * DATABASE_READ_URLS names any (TypeORM picks one at random), the primary's otherwise.
   */
  replica?: boolean;
}

/**
 * The one way past `Database` (see docs/decisions.md, "Data access"), for streamed exports
 * only. The connection comes from TypeORM's own pool (a query runner hands over the
 * driver's client), so the pool size, the shutdown (TypeORM releases open runners) and
 * the connection options (timeouts, application name) stay those of every other query.
 */
@Injectable()
export class StreamingConnections {
  constructor(
    private readonly dataSource: DataSource,
    private readonly txHost: TransactionHost<TransactionalAdapterPgPool>,
  ) {}

  /**
   * A connected query runner. A replica that cannot be reached gives way to the primary, as
   * `db.replica` reads do (replica-reads.ts): a stream's rows are on the primary too.
   */
  private async connect(mode: 'master' | 'slave'): Promise<{ runner: QueryRunner; client: PoolClient }> {
    const runner = this.dataSource.createQueryRunner(mode);
    try {
      return { runner, client: (await runner.connect()) as PoolClient };
    } catch (error) {
      await runner.release();
      if (mode === 'slave' && isReplicaUnreachable(error)) {
        return this.connect('master');
      }
      throw error;
    }
  }

  async hold(options: HoldOptions = {}): Promise<HeldConnection> {
    if (this.txHost.isTransactionActive()) {
      // The stream outlives the service method, and a second connection under an open
      // transaction's is how a pool deadlocks: open streams outside @Transactional().
      throw new Error('database: a streamed query must not be opened inside a @Transactional() method');
    }
    const timeoutMs = options.readOnlyTransaction?.statementTimeoutMs;
    if (timeoutMs !== undefined && !(Number.isSafeInteger(timeoutMs) && timeoutMs >= 0)) {
      throw new Error(`database: statementTimeoutMs must be a whole number of ms, not ${timeoutMs}`);
    }
    const { runner, client } = await this.connect(options.replica ? 'slave' : 'master');
    // A connection that dies while held says so on the client first (see failureOf).
    let connectionError: Error | undefined;
    const onConnectionError = (error: Error) => {
      connectionError ??= error;
    };
    client.on('error', onConnectionError);
    let over = false;
    const release = (healthy: boolean) => {
      if (over) {
        return;
      }
      over = true;
      client.off('error', onConnectionError);
      if (!healthy) {
        // With a query under way this destroys the socket at once; the pool then drops
        // the client (it is ending) instead of handing it out again.
        client.end().catch(() => undefined);
      }
      void runner.release();
    };
    if (timeoutMs !== undefined) {
      try {
        await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${timeoutMs}`);
      } catch (error) {
        release(false);
        throw error;
      }
    }
    return {
      client,
      async finish() {
        if (over) {
          throw new Error('database: the held connection was already discarded');
        }
        if (timeoutMs !== undefined) {
          try {
            await client.query('COMMIT');
          } catch (error) {
            release(false);
            throw connectionError ?? error;
          }
        }
        release(true);
      },
      discard() {
        release(false);
      },
      failureOf(error) {
        return connectionError ?? error;
      },
    };
  }
}
