import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One live subscription per user, enforced by a partial unique index. */
@Entity('subscriptions')
@Index('subscriptions_one_live_per_user', ['userId'], { unique: true, where: `status = 'active'` })
@Index('subscriptions_due_idx', ['currentPeriodEnd'], { where: `status = 'active'` })
@Check('subscriptions_status_check', `status IN ('active', 'canceled')`)
export class SubscriptionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('uuid', { name: 'plan_id' }) planId: string;
  @Column('text') status: 'active' | 'canceled';
  /** The billing anchor: periods are counted in calendar months/years from it. */
  @Column('timestamptz', { name: 'anchor_at' }) anchorAt: Date;
  @Column('timestamptz', { name: 'current_period_start' }) currentPeriodStart: Date;
  @Column('timestamptz', { name: 'current_period_end' }) currentPeriodEnd: Date;
  @Column('boolean', { name: 'cancel_at_period_end', default: false }) cancelAtPeriodEnd: boolean;
  @Column('timestamptz', { name: 'canceled_at', nullable: true }) canceledAt: Date | null;
  /** When the latest plan change took effect; a back-dated change may not precede it. */
  @Column('timestamptz', { name: 'last_changed_at', nullable: true }) lastChangedAt: Date | null;
  /** Bumped by every write; a plan change applies only to the version it was computed on. */
  @Column('integer', { default: 0 }) version: number;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}
