import { Database } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { SubscriptionView } from './billing.read-model';
import { SUBSCRIPTION_COLUMNS, SubscriptionRow, SubscriptionState, toState, toSubscription } from './subscription.rows';

export interface NewSubscription {
  userId: string;
  planId: string;
  periodStart: Date;
  periodEnd: Date;
}

/** A plan change as the service computed it: the new plan, billing anchor and period, and when it took effect. */
export interface PlanChange {
  planId: string;
  anchor: Date;
  periodStart: Date;
  periodEnd: Date;
  at: Date;
}

/**
 * Subscriptions: loads and stores, in the calling service's transaction when it opened
 * one. Every write bumps `version`; the locking reads (`lock...`) hold the row until that
 * transaction ends, which is what lets the services decide on a row nobody else changes.
 */
@Injectable()
export class SubscriptionsRepository {
  constructor(private readonly db: Database) {}

  /** The subscription, its anchor at the period start; `null` when the user already has a live one (nothing is written). */
  async insert(subscription: NewSubscription): Promise<SubscriptionView | null> {
    const row = await this.db.one<SubscriptionRow>(
      `INSERT INTO subscriptions (id, user_id, plan_id, status, anchor_at, current_period_start, current_period_end)
       VALUES ($1, $2, $3, 'active', $4, $4, $5)
       ON CONFLICT (user_id) WHERE status = 'active' DO NOTHING
       RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [uuidv7(), subscription.userId, subscription.planId, subscription.periodStart, subscription.periodEnd],
    );
    return row ? toSubscription(row) : null;
  }

  /** `ownerId` limits it to that user's subscriptions. */
  async find(id: string, ownerId: string | undefined): Promise<SubscriptionState | null> {
    const row = await this.db.one<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid)`,
      [id, ownerId ?? null],
    );
    return row ? toState(row) : null;
  }

  async findLive(userId: string): Promise<SubscriptionState | null> {
    const row = await this.db.one<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE user_id = $1 AND status = 'active'`,
      [userId],
    );
    return row ? toState(row) : null;
  }

  /** As `find`, locked until the caller's transaction ends. */
  async lockVisible(id: string, ownerId: string | undefined): Promise<SubscriptionState | null> {
    const row = await this.db.one<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid) FOR UPDATE`,
      [id, ownerId ?? null],
    );
    return row ? toState(row) : null;
  }

  /**
   * Up to `limit` active subscriptions whose period ended by `now`, oldest first, locked.
   * SKIP LOCKED: parallel renewal runs split the work instead of waiting on each other.
   */
  async lockDue(now: Date, limit: number): Promise<SubscriptionState[]> {
    const rows = await this.db.query<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE status = 'active' AND current_period_end <= $1
        ORDER BY current_period_end LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map(toState);
  }

  /**
   * The subscription, locked, if it is still active and due at `now`; `null` otherwise.
   * Unlike `lockDue` it waits for a run holding the row, which leaves it current.
   */
  async lockIfDue(id: string, now: Date): Promise<SubscriptionState | null> {
    const row = await this.db.one<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = $1 AND status = 'active' AND current_period_end <= $2 FOR UPDATE`,
      [id, now],
    );
    return row ? toState(row) : null;
  }

  /**
   * Stores a plan change computed on `expected`, only if the subscription is still active
   * and at that version; `null` (nothing written) when a concurrent change, renewal or
   * cancel got there first. The UPDATE re-checks the version after waiting for a competing
   * writer's lock, so exactly one of two racing changes is stored.
   */
  async applyPlanChange(
    expected: { id: string; version: number },
    change: PlanChange,
  ): Promise<SubscriptionView | null> {
    const row = await this.db.one<SubscriptionRow>(
      `UPDATE subscriptions SET plan_id = $3, anchor_at = $4, current_period_start = $5, current_period_end = $6, last_changed_at = $7,
              version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $2 AND status = 'active' RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [expected.id, expected.version, change.planId, change.anchor, change.periodStart, change.periodEnd, change.at],
    );
    return row ? toSubscription(row) : null;
  }

  /** Moves the current period (a renewal). The caller holds the row lock. */
  async advancePeriod(id: string, period: { start: Date; end: Date }): Promise<SubscriptionView> {
    const row = await this.db.one<SubscriptionRow>(
      `UPDATE subscriptions SET current_period_start = $2, current_period_end = $3, version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [id, period.start, period.end],
    );
    return stored(id, row);
  }

  /** Marks it to end with its current period (the renewal run then cancels it). The caller holds the row lock. */
  async cancelAtPeriodEnd(id: string): Promise<SubscriptionView> {
    const row = await this.db.one<SubscriptionRow>(
      `UPDATE subscriptions SET cancel_at_period_end = true, version = version + 1, updated_at = now() WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [id],
    );
    return stored(id, row);
  }

  /** Ends it as of `canceledAt`. The caller holds the row lock. */
  async cancel(id: string, canceledAt: Date): Promise<SubscriptionView> {
    const row = await this.db.one<SubscriptionRow>(
      `UPDATE subscriptions SET status = 'canceled', canceled_at = $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [id, canceledAt],
    );
    return stored(id, row);
  }
}

/** Rows are updated only under their lock and never deleted, so a missing one is a bug, not a race. */
function stored(id: string, row: SubscriptionRow | null): SubscriptionView {
  if (!row) {
    throw new Error(`subscription ${id} vanished under its row lock`);
  }
  return toSubscription(row);
}
