import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { PlanInterval } from './domain/billing-period';

@Entity('plans')
@Index('plans_code_key', ['code'], { unique: true })
@Check('plans_interval_check', `interval IN ('month', 'year')`)
export class PlanEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') code: string;
  @Column('text') name: string;
  @Column('integer', { name: 'price_cents' }) priceCents: number;
  @Column('char', { length: 3 }) currency: string;
  @Column('text') interval: PlanInterval;
  @Column('boolean', { default: true }) active: boolean;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}
