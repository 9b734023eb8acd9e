import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import type { IdempotencyKeyEntity } from './idempotency-key.entity';

export type ClaimResult =
  | { claimed: true }
  | {
      claimed: false;
      existing: Pick<IdempotencyKeyEntity, 'requestHash' | 'state' | 'responseStatus' | 'responseBody'>;
    };

@Injectable()
export class IdempotencyRepository {
  constructor(private readonly db: Database) {}

  /**
   * Atomically claims (scope, key) for a new request, or returns the row that holds
   * it. An expired row, or an in-progress claim of the same request whose lease has
   * lapsed (its request died without releasing it, e.g. with the database), is taken
   * over in the same statement, so two racing requests can never both claim a key.
   */
  async claim(scope: string, key: string, requestHash: string, ttlMs: number, leaseMs: number): Promise<ClaimResult> {
    const inserted = await this.db.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, state, locked_until, expires_at)
       VALUES ($1, $2, $3, 'in_progress', now() + ($5 || ' milliseconds')::interval, now() + ($4 || ' milliseconds')::interval)
       ON CONFLICT (scope, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'in_progress', response_status = NULL,
             response_body = NULL, created_at = now(), locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at
         WHERE idempotency_keys.expires_at <= now()
            OR (idempotency_keys.state = 'in_progress' AND idempotency_keys.locked_until <= now()
                AND idempotency_keys.request_hash = EXCLUDED.request_hash)
       RETURNING scope`,
      [scope, key, requestHash, String(ttlMs), String(leaseMs)],
    );
    if (inserted.length > 0) {
      return { claimed: true };
    }
    const row = await this.db.one<{
      request_hash: string;
      state: 'in_progress' | 'completed';
      response_status: number | null;
      response_body: unknown;
    }>(
      'SELECT request_hash, state, response_status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2',
      [scope, key],
    );
    if (!row) {
      // Deleted between the two statements (the first request failed): claim again.
      return this.claim(scope, key, requestHash, ttlMs, leaseMs);
    }
    return {
      claimed: false,
      existing: {
        requestHash: row.request_hash,
        state: row.state,
        responseStatus: row.response_status,
        responseBody: row.response_body,
      },
    };
  }

  async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    await this.db.execute(
      `UPDATE idempotency_keys SET state = 'completed', locked_until = NULL, response_status = $3, response_body = $4::jsonb
        WHERE scope = $1 AND key = $2`,
      [scope, key, status, JSON.stringify(body ?? null)],
    );
  }

  async release(scope: string, key: string): Promise<void> {
    await this.db.execute(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND state = 'in_progress'`, [
      scope,
      key,
    ]);
  }

  async purgeExpired(): Promise<number> {
    return this.db.execute('DELETE FROM idempotency_keys WHERE expires_at <= now()');
  }
}
