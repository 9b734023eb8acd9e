-- The SQL that libs/billing's repositories run, by repository method.
-- Generated from the source by `npm run sql:snapshots` and checked by test/architecture/sql-snapshots.spec.ts:
-- do not edit; rewrite it with the command and review the diff. ${...} is interpolated source text.

-- ==== InvoicesRepository (libs/billing/src/invoices.repository.ts)

-- const INVOICE_COLUMNS =
id, subscription_id, kind, total_cents, currency, period_start, period_end, created_at

-- InvoicesRepository.insert (1 of 2)
INSERT INTO invoices (id, subscription_id, user_id, kind, total_cents, currency, period_start, period_end)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${INVOICE_COLUMNS}

-- InvoicesRepository.insert (2 of 2)
INSERT INTO invoice_lines (invoice_id, position, description, amount_cents)
  SELECT $1, line.position - 1, line.description, line.amount_cents
    FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS line(description, amount_cents, position)

-- InvoicesRepository.list
SELECT ${INVOICE_COLUMNS} FROM invoices WHERE ($1::uuid IS NULL OR user_id = $1::uuid) AND ($2::uuid IS NULL OR id < $2::uuid) ORDER BY id DESC LIMIT $3

-- InvoicesRepository.find
SELECT ${INVOICE_COLUMNS} FROM invoices WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid)

-- InvoicesRepository.withLines
SELECT invoice_id, description, amount_cents FROM invoice_lines WHERE invoice_id = ANY($1::uuid[]) ORDER BY invoice_id, position

-- ==== PlansRepository (libs/billing/src/plans.repository.ts)

-- const PLAN_COLUMNS =
id, code, name, price_cents, currency, interval

-- PlansRepository.create
INSERT INTO plans (id, code, name, price_cents, currency, interval) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${PLAN_COLUMNS}

-- PlansRepository.listActive
SELECT ${PLAN_COLUMNS} FROM plans WHERE active ORDER BY price_cents, code LIMIT 1000

-- PlansRepository.find
SELECT ${PLAN_COLUMNS} FROM plans WHERE id = $1 AND active

-- ==== SubscriptionsRepository (libs/billing/src/subscriptions.repository.ts)

-- const SUBSCRIPTION_COLUMNS (libs/billing/src/subscription.rows.ts) =
id, user_id, plan_id, status, anchor_at, current_period_start, current_period_end, cancel_at_period_end, last_changed_at, version

-- SubscriptionsRepository.insert
INSERT INTO subscriptions (id, user_id, plan_id, status, anchor_at, current_period_start, current_period_end)
  VALUES ($1, $2, $3, 'active', $4, $4, $5)
  ON CONFLICT (user_id) WHERE status = 'active' DO NOTHING
  RETURNING ${SUBSCRIPTION_COLUMNS}

-- SubscriptionsRepository.find
SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid)

-- SubscriptionsRepository.findLive
SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE user_id = $1 AND status = 'active'

-- SubscriptionsRepository.lockVisible
SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid) FOR UPDATE

-- SubscriptionsRepository.lockDue
SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE status = 'active' AND current_period_end <= $1
  ORDER BY current_period_end LIMIT $2 FOR UPDATE SKIP LOCKED

-- SubscriptionsRepository.lockIfDue
SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = $1 AND status = 'active' AND current_period_end <= $2 FOR UPDATE

-- SubscriptionsRepository.applyPlanChange
UPDATE subscriptions SET plan_id = $3, anchor_at = $4, current_period_start = $5, current_period_end = $6, last_changed_at = $7,
        version = version + 1, updated_at = now()
  WHERE id = $1 AND version = $2 AND status = 'active' RETURNING ${SUBSCRIPTION_COLUMNS}

-- SubscriptionsRepository.advancePeriod
UPDATE subscriptions SET current_period_start = $2, current_period_end = $3, version = version + 1, updated_at = now()
  WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}

-- SubscriptionsRepository.cancelAtPeriodEnd
UPDATE subscriptions SET cancel_at_period_end = true, version = version + 1, updated_at = now() WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}

-- SubscriptionsRepository.cancel
UPDATE subscriptions SET status = 'canceled', canceled_at = $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}
