import type { Logger } from 'pino';
import type { Pool, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { isDependencyFailure } from '../http/dependency-failure';
import { SqlReads, TxHost } from './sql-reads';
import type { StatementNames } from './statement-names';

/** How long a replica that could not answer is left out before a read tries it again. */
export const REPLICA_REST_MS = 5_000;

/**
 * Lag-tolerant reads (`db.replica`) over the replicas' pools, taken in turn. A replica that
 * cannot answer (refused, reset, shutting down, no connection within DB_CONNECT_TIMEOUT_MS)
 * is left out for REPLICA_REST_MS and the read goes to the primary instead: these reads are
 * SELECTs, safe to run again, and the primary has every row a replica has. With every
 * replica resting, reads go to the primary. A statement that ran too long (57014) or failed
 * on its own is the caller's error, not the replica's. Inside a transaction reads stay on
 * its connection (the primary), as SqlReads does.
 */
export class ReplicaReads extends SqlReads {
  private next = 0;
  private readonly restingUntil: number[];

  constructor(
    txHost: TxHost,
    statements: StatementNames,
    private readonly replicas: Pool[],
    private readonly primary: Pool,
    private readonly logger: Logger,
    private readonly restMs = REPLICA_REST_MS,
  ) {
    super(txHost, statements);
    this.restingUntil = replicas.map(() => 0);
  }

  protected async runOnPool<Row extends QueryResultRow>(statement: QueryConfig): Promise<QueryResult<Row>> {
    const replica = this.nextAwake();
    if (replica === undefined) {
      return this.primary.query<Row>(statement);
    }
    try {
      return await this.replicas[replica].query<Row>(statement);
    } catch (error) {
      if (!isReplicaUnreachable(error)) {
        throw error;
      }
      this.restingUntil[replica] = Date.now() + this.restMs;
      this.logger.warn(
        { replica, err: error instanceof Error ? error.message : String(error), restMs: this.restMs },
        'read replica unreachable: its reads go to the primary while it rests',
      );
      return this.primary.query<Row>(statement);
    }
  }

  /** The next replica in turn that is not resting; undefined when all are. */
  private nextAwake(): number | undefined {
    const now = Date.now();
    for (let tried = 0; tried < this.replicas.length; tried++) {
      const index = this.next;
      this.next = (this.next + 1) % this.replicas.length;
      if (this.restingUntil[index] <= now) {
        return index;
      }
    }
    return undefined;
  }
}

/** A replica that cannot answer, as opposed to a statement that failed or ran too long on it. */
export function isReplicaUnreachable(error: unknown): boolean {
  return isDependencyFailure(error) && (error as { code?: unknown }).code !== '57014';
}
