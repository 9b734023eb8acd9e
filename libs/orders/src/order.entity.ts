import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type OrderStatus = 'placed' | 'cancelled';

@Entity('orders')
@Index('orders_user_idx', ['userId', 'id'])
@Index('orders_created_idx', ['createdAt', 'id'])
@Index('orders_user_idempotency_key_uidx', ['userId', 'idempotencyKey'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL',
})
@Check('orders_status_check', `status IN ('placed', 'cancelled')`)
export class OrderEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('text')
  status: OrderStatus;

  @Column('bigint', { name: 'total_cents' })
  totalCents: string;

  @Column('char', { length: 3 })
  currency: string;

  /** The Idempotency-Key the order was placed with: a retry finds this order. */
  @Column('text', { name: 'idempotency_key', nullable: true })
  idempotencyKey: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
