import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '../logging/root-logger';
import { driverPools } from './driver-pools';

/** How often the replicas' replay position is read while a callback waits. */
const POLL_MS = 100;
/** A replica this far behind (or unreachable) no longer holds a callback back. */
const GIVE_UP_MS = 30_000;

interface Waiter {
  lsn: bigint;
  since: number;
  then: () => Promise<unknown>;
}

/**
 * Runs a callback once every read replica has replayed what the primary had written when
 * it was asked (`after`), for work that must follow a write *on the replicas*: dropping a
 * cache entry a lag-tolerant read may have loaded from a replica still behind. One poll
 * loop per process serves every waiting callback; without DATABASE_READ_URLS `after` does
 * nothing. A replica that stays behind or unreachable for GIVE_UP_MS releases the callback
 * anyway; callbacks still waiting at shutdown are dropped (the entries keep their TTL).
 */
@Injectable()
export class ReplicaCatchUp implements OnModuleDestroy {
  private readonly primary: Pool;
  private readonly replicas: Pool[];
  private waiters: Waiter[] = [];
  private polling = false;
  private closed = false;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    ({ primary: this.primary, replicas: this.replicas } = driverPools(dataSource));
  }

  after(then: () => Promise<unknown>): void {
    if (this.replicas.length > 0 && !this.closed) {
      void this.enqueue(then);
    }
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.waiters = [];
  }

  private async enqueue(then: () => Promise<unknown>): Promise<void> {
    try {
      const { rows } = await this.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
      this.waiters.push({ lsn: parseLsn(rows[0].lsn), since: Date.now(), then });
    } catch (error) {
      // No position to wait for: run it now rather than never.
      this.logger.warn({ err: error }, 'replica catch-up: primary WAL position unavailable');
      await this.run(then);
      return;
    }
    if (!this.polling) {
      void this.poll();
    }
  }

  /** Never rejects: replica errors count as "not yet", callback errors are logged. */
  private async poll(): Promise<void> {
    this.polling = true;
    try {
      while (this.waiters.length > 0 && !this.closed) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS).unref());
        const replayed = await this.slowestReplay();
        const now = Date.now();
        const due = this.waiters.filter(
          (waiter) => (replayed !== undefined && waiter.lsn <= replayed) || now - waiter.since > GIVE_UP_MS,
        );
        this.waiters = this.waiters.filter((waiter) => !due.includes(waiter));
        await Promise.all(due.map((waiter) => this.run(waiter.then)));
      }
    } finally {
      // In the same turn as the loop's last check: a waiter added after it starts a new loop.
      this.polling = false;
    }
  }

  /** The replay position of the replica furthest behind; undefined when one is unreachable or not a standby. */
  private async slowestReplay(): Promise<bigint | undefined> {
    try {
      const positions = await Promise.all(
        this.replicas.map(async (pool) => {
          const { rows } = await pool.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn');
          return rows[0].lsn === null ? undefined : parseLsn(rows[0].lsn);
        }),
      );
      return positions.some((position) => position === undefined)
        ? undefined
        : positions.reduce((min, position) => (position! < min! ? position : min));
    } catch {
      return undefined;
    }
  }

  private async run(then: () => Promise<unknown>): Promise<void> {
    try {
      await then();
    } catch (error) {
      this.logger.warn({ err: error }, 'replica catch-up: callback failed');
    }
  }
}

/** A `pg_lsn` as text (`16/B374D848`: two hex halves of a 64-bit position) as a number. */
export function parseLsn(text: string): bigint {
  const [high, low] = text.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}
