-- The SQL that libs/files's repositories run, by repository method.
-- Generated from the source by `npm run sql:snapshots` and checked by test/architecture/sql-snapshots.spec.ts:
-- do not edit; rewrite it with the command and review the diff. ${...} is interpolated source text.

-- ==== FilesRepository (libs/files/src/files.repository.ts)

-- const FILE_COLUMNS =
id, owner_id, filename, content_type, size_bytes, sha256, storage_key, created_at

-- FilesRepository.insert
INSERT INTO files (id, owner_id, filename, content_type, size_bytes, sha256, storage_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)

-- FilesRepository.findVisible
SELECT ${FILE_COLUMNS} FROM files WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2::uuid)

-- FilesRepository.listVisible
SELECT ${FILE_COLUMNS} FROM files
  WHERE ($1::uuid IS NULL OR owner_id = $1::uuid) AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
  ORDER BY created_at DESC, id DESC LIMIT $4

-- FilesRepository.delete
DELETE FROM files WHERE id = $1
