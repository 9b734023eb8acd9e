import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Which warehouse holds how many units for an order, so a cancel releases exactly those. */
@Entity('order_reservations')
export class OrderReservationEntity {
  @PrimaryColumn('uuid', { name: 'order_id' })
  orderId: string;

  @PrimaryColumn('uuid', { name: 'product_id' })
  productId: string;

  @PrimaryColumn('uuid', { name: 'warehouse_id' })
  warehouseId: string;

  @Column('integer')
  quantity: number;
}
