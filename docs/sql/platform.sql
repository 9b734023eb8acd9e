-- The SQL that libs/platform runs through Database, by repository method.
-- Generated from the source by `npm run sql:snapshots` and checked by test/architecture/sql-snapshots.spec.ts:
-- do not edit; rewrite it with the command and review the diff. ${...} is interpolated source text.

-- ==== OutboxRepository (libs/platform/src/outbox/outbox.repository.ts)

-- OutboxRepository.enqueue
INSERT INTO outbox_messages (id, type, payload, occurred_at) VALUES ($1, $2, $3, $4)

-- OutboxRepository.lockDue
SELECT id, type, payload, occurred_at, attempts FROM outbox_messages
  WHERE published_at IS NULL AND next_attempt_at <= now()
  ORDER BY occurred_at, id LIMIT $1 FOR UPDATE SKIP LOCKED

-- OutboxRepository.markPublished
UPDATE outbox_messages SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1)

-- OutboxRepository.markFailed
UPDATE outbox_messages SET attempts = attempts + 1, last_error = $2,
  next_attempt_at = now() + ($3 || ' milliseconds')::interval WHERE id = $1

-- OutboxRepository.purgePublishedBefore
DELETE FROM outbox_messages WHERE published_at IS NOT NULL AND published_at < $1
