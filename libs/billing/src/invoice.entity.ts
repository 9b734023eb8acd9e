import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type InvoiceKind = 'initial' | 'renewal' | 'proration';

/**
 * A period is invoiced once: the unique index on (subscription, period start) for
 * initial and renewal invoices makes a double renewal impossible, whatever runs it.
 */
@Entity('invoices')
@Index('invoices_one_per_period', ['subscriptionId', 'periodStart'], {
  unique: true,
  where: `kind IN ('initial', 'renewal')`,
})
@Index('invoices_user_idx', ['userId', 'id'])
@Check('invoices_kind_check', `kind IN ('initial', 'renewal', 'proration')`)
export class InvoiceEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'subscription_id' }) subscriptionId: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('text') kind: InvoiceKind;
  @Column('bigint', { name: 'total_cents' }) totalCents: string;
  @Column('char', { length: 3 }) currency: string;
  @Column('timestamptz', { name: 'period_start' }) periodStart: Date;
  @Column('timestamptz', { name: 'period_end' }) periodEnd: Date;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}

@Entity('invoice_lines')
export class InvoiceLineEntity {
  @PrimaryColumn('uuid', { name: 'invoice_id' }) invoiceId: string;
  @PrimaryColumn('integer') position: number;
  @Column('text') description: string;
  @Column('bigint', { name: 'amount_cents' }) amountCents: string;
}
