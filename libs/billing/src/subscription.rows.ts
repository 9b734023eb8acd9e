import type { SubscriptionView } from './billing.read-model';

/** A subscription as the repositories read it (snake_case, as PostgreSQL returns it). */
export interface SubscriptionRow {
  id: string;
  user_id: string;
  plan_id: string;
  status: 'active' | 'canceled';
  anchor_at: Date;
  current_period_start: Date;
  current_period_end: Date;
  cancel_at_period_end: boolean;
  last_changed_at: Date | null;
  version: number;
}

/** What the service decides on: the view plus the dates and the version it may write against. */
export interface SubscriptionState extends SubscriptionView {
  anchorAt: Date;
  periodStart: Date;
  periodEnd: Date;
  lastChangedAt: Date | null;
  version: number;
}

export const SUBSCRIPTION_COLUMNS =
  'id, user_id, plan_id, status, anchor_at, current_period_start, current_period_end, cancel_at_period_end, last_changed_at, version';

export function toSubscription(row: SubscriptionRow): SubscriptionView {
  return {
    id: row.id,
    userId: row.user_id,
    planId: row.plan_id,
    status: row.status,
    currentPeriodStart: new Date(row.current_period_start).toISOString(),
    currentPeriodEnd: new Date(row.current_period_end).toISOString(),
    cancelAtPeriodEnd: row.cancel_at_period_end,
  };
}

export function toState(row: SubscriptionRow): SubscriptionState {
  return {
    ...toSubscription(row),
    anchorAt: new Date(row.anchor_at),
    periodStart: new Date(row.current_period_start),
    periodEnd: new Date(row.current_period_end),
    lastChangedAt: row.last_changed_at ? new Date(row.last_changed_at) : null,
    version: row.version,
  };
}

/** The public shape of a state: what a response may carry (no version, anchor or dates). */
export function toView(state: SubscriptionState): SubscriptionView {
  const { id, userId, planId, status, currentPeriodStart, currentPeriodEnd, cancelAtPeriodEnd } = state;
  return { id, userId, planId, status, currentPeriodStart, currentPeriodEnd, cancelAtPeriodEnd };
}
