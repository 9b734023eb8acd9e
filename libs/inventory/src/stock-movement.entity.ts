import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The append-only ledger (a trigger refuses UPDATE and DELETE): every stock change
 * writes a row in the same transaction, so onHand always equals the sum of
 * onHandDelta for its product and warehouse.
 */
@Entity('stock_movements')
@Index('stock_movements_product_warehouse_idx', ['productId', 'warehouseId'])
export class StockMovementEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'product_id' })
  productId: string;

  @Column('uuid', { name: 'warehouse_id' })
  warehouseId: string;

  @Column('integer', { name: 'on_hand_delta' })
  onHandDelta: number;

  @Column('integer', { name: 'reserved_delta' })
  reservedDelta: number;

  @Column('text')
  reason: string;

  @Column('uuid', { name: 'order_id', nullable: true })
  orderId: string | null;

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}
