import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { appConfig } from '../config/app.config';
import { PlatformError, PlatformErrorCode } from '../errors/platform-error';
import { MAX_JSON_DEPTH } from '../http/json-body-parser';
import { containsNul } from '../validation/nul-characters';
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

  async begin(
    scope: string,
    key: string | undefined,
    required: boolean,
    fingerprint: unknown,
  ): Promise<IdempotencyDecision | undefined> {
    if (key === undefined) {
      if (required) {
        throw new IdempotencyError(
          IdempotencyErrorCode.KeyRequired,
          'This operation requires an Idempotency-Key header.',
        );
      }
      return undefined;
    }
    // The key is stored in PostgreSQL, which cannot hold a NUL character.
    if (key.length < 1 || key.length > MAX_KEY_LENGTH || containsNul(key)) {
      throw new IdempotencyError(
        IdempotencyErrorCode.KeyInvalid,
        `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters, none of them NUL.`,
      );
    }
    const requestHash = hashRequest(fingerprint);
    const claim = await this.repository.claim(
      scope,
      key,
      requestHash,
      IDEMPOTENCY_TTL_MS,
      this.config.idempotencyLeaseMs,
    );
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

/**
 * The fingerprint `{route, params, body}` puts the body one level down. The JSON body
 * parser already refuses bodies nested deeper than MAX_JSON_DEPTH; the recursion below
 * stops there too, so no value can overflow the stack here, whatever its source.
 */
const MAX_FINGERPRINT_DEPTH = MAX_JSON_DEPTH + 1;

/** Order-insensitive for object keys, so `{a,b}` and `{b,a}` are the same request. */
export function hashRequest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value, 0)).digest('hex');
}

function canonicalJson(value: unknown, depth: number): string {
  if (value !== null && typeof value === 'object' && depth >= MAX_FINGERPRINT_DEPTH) {
    throw new PlatformError(PlatformErrorCode.ValidationFailed, 'The request is invalid; see errors for each field.', {
      errors: [{ field: 'body', message: `is nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays` }],
    });
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item, depth + 1)).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key], depth + 1)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
