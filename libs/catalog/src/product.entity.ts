import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('products')
@Index('products_sku_key', ['sku'], { unique: true })
// Trigram index over "sku name" for `?q=` substring search; created in the migration.
@Index('products_search_idx', { synchronize: false })
export class ProductEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  sku: string;

  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('integer', { name: 'price_cents' })
  priceCents: number;

  @Column('char', { length: 3 })
  currency: string;

  @Column('boolean', { default: true })
  active: boolean;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
