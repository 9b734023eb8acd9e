import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { appConfig } from '../config/app.config';
import { IdempotencyError, IdempotencyErrorCode } from './idempotency.errors';
import { IdempotencyRepository } from './idempotency.repository';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 255;

export type IdempotencyDecision = { kind: 'proceed' } | { kind: 'replay'; status: number; body: unknown };

/**
 * The transport-free core of `Idempotency-Key` handling (Stripe's semantics): the
 * same key with the same request replays the first response; with a different
 * request it is an error; while the first request still runs, a conflict.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly repository: IdempotencyRepository,
    @Inject(appConfig.KEY) private readonly config: ConfigType<typeof appConfig>,
  ) {}

  async begin(scope: string, key: string | undefined, required: boolean, fingerprint: unknown): Promise<IdempotencyDecision | undefined> {
    if (key === undefined) {
      if (required) {
        throw new IdempotencyError(IdempotencyErrorCode.KeyRequired, 'This operation requires an Idempotency-Key header.');
      }
      return undefined;
    }
    if (key.length < 1 || key.length > MAX_KEY_LENGTH) {
      throw new IdempotencyError(IdempotencyErrorCode.KeyInvalid, `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters.`);
    }
    const requestHash = hashRequest(fingerprint);
    const claim = await this.repository.claim(scope, key, requestHash, IDEMPOTENCY_TTL_MS, this.config.idempotencyLeaseMs);
    if (claim.claimed) {
      return { kind: 'proceed' };
    }
    const { existing } = claim;
    if (existing.requestHash !== requestHash) {
      throw new IdempotencyError(
        IdempotencyErrorCode.KeyReused,
        'This Idempotency-Key was already used with a different request.',
      );
    }
    if (existing.state === 'in_progress') {
      throw new IdempotencyError(
        IdempotencyErrorCode.InProgress,
        'A request with this Idempotency-Key is still being processed; retry shortly.',
      );
    }
    return { kind: 'replay', status: existing.responseStatus ?? 200, body: existing.responseBody };
  }

  complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    return this.repository.complete(scope, key, status, body);
  }

  /** A failed request leaves nothing behind, so the client may retry with the same key. */
  abort(scope: string, key: string): Promise<void> {
    return this.repository.release(scope, key);
  }
}

/** Order-insensitive for object keys, so `{a,b}` and `{b,a}` are the same request. */
export function hashRequest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
