import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('warehouses')
@Index('warehouses_code_key', ['code'], { unique: true })
export class WarehouseEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  code: string;

  @Column('text')
  name: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}
