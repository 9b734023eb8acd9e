import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** On hand and reserved units of one product in one warehouse; 0 <= reserved <= onHand always. */
@Entity('stock_levels')
@Check('stock_levels_bounds_check', 'reserved >= 0 AND reserved <= on_hand')
export class StockLevelEntity {
  @PrimaryColumn('uuid', { name: 'product_id' })
  productId: string;

  @PrimaryColumn('uuid', { name: 'warehouse_id' })
  warehouseId: string;

  @Column('integer', { name: 'on_hand', default: 0 })
  onHand: number;

  @Column('integer', { default: 0 })
  reserved: number;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
