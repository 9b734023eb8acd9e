import { Database } from '@app/platform';
import { Injectable } from '@nestjs/common';

/** A file's row: what it is, whose it is, and where its bytes are in `FileStorage`. */
export interface StoredFile {
  id: string;
  ownerId: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  createdAt: Date;
}

interface FileRow {
  id: string;
  owner_id: string;
  filename: string;
  content_type: string;
  /** bigint: pg returns it as a string. */
  size_bytes: string;
  sha256: string;
  storage_key: string;
  created_at: Date;
}

const FILE_COLUMNS = 'id, owner_id, filename, content_type, size_bytes, sha256, storage_key, created_at';

@Injectable()
export class FilesRepository {
  constructor(private readonly db: Database) {}

  async insert(file: StoredFile): Promise<void> {
    await this.db.query(
      'INSERT INTO files (id, owner_id, filename, content_type, size_bytes, sha256, storage_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [
        file.id,
        file.ownerId,
        file.filename,
        file.contentType,
        file.sizeBytes,
        file.sha256,
        file.storageKey,
        file.createdAt,
      ],
    );
  }

  /** The file if it exists and `ownerId` may see it (undefined owner: an admin, sees all). */
  async findVisible(id: string, ownerId: string | undefined): Promise<StoredFile | null> {
    const row = await this.db.one<FileRow>(
      `SELECT ${FILE_COLUMNS} FROM files WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2::uuid)`,
      [id, ownerId ?? null],
    );
    return row && toStoredFile(row);
  }

  /** Keyset page, newest first, after the (createdAt, id) cursor when given. */
  async listVisible(
    ownerId: string | undefined,
    limit: number,
    after?: { createdAt: Date; id: string },
  ): Promise<StoredFile[]> {
    const rows = await this.db.query<FileRow>(
      `SELECT ${FILE_COLUMNS} FROM files
        WHERE ($1::uuid IS NULL OR owner_id = $1::uuid) AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [ownerId ?? null, after?.createdAt ?? null, after?.id ?? null, limit],
    );
    return rows.map(toStoredFile);
  }

  async delete(id: string): Promise<void> {
    await this.db.execute('DELETE FROM files WHERE id = $1', [id]);
  }
}

function toStoredFile(row: FileRow): StoredFile {
  return {
    id: row.id,
    ownerId: row.owner_id,
    filename: row.filename,
    contentType: row.content_type,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    storageKey: row.storage_key,
    createdAt: row.created_at,
  };
}
