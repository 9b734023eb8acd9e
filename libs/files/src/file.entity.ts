import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('files')
@Index('files_owner_created_idx', ['ownerId', 'createdAt', 'id'])
export class FileEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'owner_id' })
  ownerId: string;

  @Column('text')
  filename: string;

  @Column('text', { name: 'content_type' })
  contentType: string;

  @Column('bigint', {
    name: 'size_bytes',
    transformer: { to: (value: number) => value, from: (value: string) => Number(value) },
  })
  sizeBytes: number;

  @Column('char', { length: 64 })
  sha256: string;

  @Column('text', { name: 'storage_key' })
  storageKey: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}
