-- The SQL that libs/platform's repositories run, by repository method.
-- Generated from the source by `npm run sql:snapshots` and checked by test/architecture/sql-snapshots.spec.ts:
-- do not edit; rewrite it with the command and review the diff. ${...} is interpolated source text.

-- ==== IdempotencyRepository (libs/platform/src/idempotency/idempotency.repository.ts)

-- IdempotencyRepository.claim (1 of 2)
INSERT INTO idempotency_keys (scope, key, request_hash, state, locked_until, expires_at)
  VALUES ($1, $2, $3, 'in_progress', now() + ($5 || ' milliseconds')::interval, now() + ($4 || ' milliseconds')::interval)
  ON CONFLICT (scope, key) DO UPDATE
    SET request_hash = EXCLUDED.request_hash, state = 'in_progress', response_status = NULL,
        response_body = NULL, created_at = now(), locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at
    WHERE idempotency_keys.expires_at <= now()
       OR (idempotency_keys.state = 'in_progress' AND idempotency_keys.locked_until <= now()
           AND idempotency_keys.request_hash = EXCLUDED.request_hash)
  RETURNING scope

-- IdempotencyRepository.claim (2 of 2)
SELECT request_hash, state, response_status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2

-- IdempotencyRepository.complete
UPDATE idempotency_keys SET state = 'completed', locked_until = NULL, response_status = $3, response_body = $4::jsonb
  WHERE scope = $1 AND key = $2

-- IdempotencyRepository.release
DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND state = 'in_progress'

-- IdempotencyRepository.purgeExpired
DELETE FROM idempotency_keys WHERE expires_at <= now()

-- ==== JobRunsRepository (libs/platform/src/jobs/job-runs.repository.ts)

-- JobRunsRepository.tryLock
SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked

-- JobRunsRepository.claimPeriod
INSERT INTO job_runs (job, period_start) VALUES ($1, $2) ON CONFLICT (job, period_start) DO NOTHING RETURNING job

-- JobRunsRepository.forgetRunsBefore
DELETE FROM job_runs WHERE job = $1 AND period_start < $2::timestamptz - ($3 || ' days')::interval

-- ==== OutboxRepository (libs/platform/src/outbox/outbox.repository.ts)

-- OutboxRepository.enqueue
INSERT INTO outbox_messages (id, type, payload, occurred_at, traceparent) VALUES ($1, $2, $3, $4, $5)

-- OutboxRepository.lockDue
SELECT id, type, payload, occurred_at, attempts, traceparent FROM outbox_messages
  WHERE published_at IS NULL AND next_attempt_at <= now()
  ORDER BY occurred_at, id LIMIT $1 FOR UPDATE SKIP LOCKED

-- OutboxRepository.markPublished
UPDATE outbox_messages SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1)

-- OutboxRepository.markFailed
UPDATE outbox_messages SET attempts = attempts + 1, last_error = $2,
  next_attempt_at = now() + ($3 || ' milliseconds')::interval WHERE id = $1

-- OutboxRepository.purgePublishedBefore
DELETE FROM outbox_messages WHERE published_at IS NOT NULL AND published_at < $1
