import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPgPool } from './pg-transactions';
import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import { driverPools } from './driver-pools';
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
   * DATABASE_READ_URLS names any (one at random), the primary's otherwise.
   */
  replica?: boolean;
}

/**
 * The one way past `Database` (see docs/decisions.md, "Data access"), for streamed exports
 * only. The connection comes from the pools every other query uses (the primary's through
 * a TypeORM query runner, a replica's from its pool), so the pool size, the shutdown (TypeORM
 * ends them) and the connection options (timeouts, application name) stay the same.
 */
@Injectable()
export class StreamingConnections {
  constructor(
    private readonly dataSource: DataSource,
    private readonly txHost: TransactionHost<TransactionalAdapterPgPool>,
  ) {}

  /**
   * A connection and how to hand it back. A replica's comes from its pool (attached after the
   * start, replica-pools.ts; one at random); one that cannot be reached gives way to the
   * primary, as `db.replica` reads do (replica-reads.ts): a stream's rows are on the primary too.
   */
  private async connect(replica: boolean): Promise<{ client: PoolClient; giveBack: () => void }> {
    const { replicas } = driverPools(this.dataSource);
    if (replica && replicas.length > 0) {
      try {
        const client = await replicas[Math.floor(Math.random() * replicas.length)].connect();
        return { client, giveBack: () => client.release() };
      } catch (error) {
        if (!isReplicaUnreachable(error)) {
          throw error;
        }
      }
    }
    const runner: QueryRunner = this.dataSource.createQueryRunner('master');
    try {
      return { client: (await runner.connect()) as PoolClient, giveBack: () => void runner.release() };
    } catch (error) {
      await runner.release();
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
    const { client, giveBack } = await this.connect(options.replica === true);
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
      giveBack();
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
