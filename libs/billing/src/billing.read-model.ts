import type { PlanInterval } from './domain/billing-period';
import type { InvoiceKind } from './invoice.entity';

export interface PlanView {
  id: string;
  code: string;
  name: string;
  priceCents: number;
  currency: string;
  interval: PlanInterval;
}

export interface SubscriptionView {
  id: string;
  userId: string;
  planId: string;
  status: 'active' | 'canceled';
  currentPeriodStart: string;
  currentPeriodEnd: string;
  cancelAtPeriodEnd: boolean;
}

export interface InvoiceView {
  id: string;
  subscriptionId: string;
  kind: InvoiceKind;
  lines: Array<{ description: string; amountCents: number }>;
  totalCents: number;
  currency: string;
  periodStart: string;
  periodEnd: string;
  createdAt: string;
}

export const SUBSCRIPTION_CREATED = 'subscription.created';
export const SUBSCRIPTION_PLAN_CHANGED = 'subscription.plan_changed';
export const SUBSCRIPTION_CANCELED = 'subscription.canceled';
