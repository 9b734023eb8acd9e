import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A line of an order, with the price copied at the time of the order. */
@Entity('order_items')
export class OrderItemEntity {
  @PrimaryColumn('uuid', { name: 'order_id' })
  orderId: string;

  @PrimaryColumn('uuid', { name: 'product_id' })
  productId: string;

  @Column('integer')
  quantity: number;

  @Column('integer', { name: 'unit_price_cents' })
  unitPriceCents: number;
}
