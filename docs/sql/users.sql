-- The SQL that libs/users's repositories run, by repository method.
-- Generated from the source by `npm run sql:snapshots` and checked by test/architecture/sql-snapshots.spec.ts:
-- do not edit; rewrite it with the command and review the diff. ${...} is interpolated source text.

-- ==== UsersRepository (libs/users/src/users.repository.ts)

-- const PROFILE_COLUMNS =
id, email, name, roles, status, email_verified_at IS NOT NULL AS email_verified, mfa_enabled, created_at, updated_at

-- UsersRepository.findActiveUser
SELECT id, email, roles, email_verified_at IS NOT NULL AS "emailVerified" FROM users WHERE id = $1 AND status = 'active'

-- UsersRepository.findByEmail
SELECT ${PROFILE_COLUMNS} FROM users WHERE email = $1 AND deleted_at IS NULL

-- UsersRepository.findCredentialsByEmail
SELECT id, password_hash, status, mfa_enabled FROM users WHERE email = $1 AND deleted_at IS NULL

-- UsersRepository.findCredentialsById
SELECT id, password_hash, status, mfa_enabled FROM users WHERE id = $1

-- UsersRepository.findProfile
SELECT ${PROFILE_COLUMNS} FROM users WHERE id = $1 AND status <> 'deleted'

-- UsersRepository.create
INSERT INTO users (id, email, name, password_hash, roles) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (email) WHERE deleted_at IS NULL DO NOTHING
  RETURNING ${PROFILE_COLUMNS}

-- UsersRepository.update
UPDATE users SET name = COALESCE($2, name), roles = COALESCE($3::text[], roles), status = COALESCE($4, status), updated_at = now()
  WHERE id = $1 AND status <> 'deleted'
  RETURNING ${PROFILE_COLUMNS}

-- UsersRepository.setPasswordHash
UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1

-- UsersRepository.markEmailVerified
UPDATE users SET email_verified_at = COALESCE(email_verified_at, now()), updated_at = now()
  WHERE id = $1 AND status <> 'deleted'

-- UsersRepository.setMfaEnabled
UPDATE users SET mfa_enabled = $2, updated_at = now() WHERE id = $1

-- UsersRepository.softDelete
UPDATE users SET status = 'deleted', deleted_at = now(), updated_at = now() WHERE id = $1 AND status <> 'deleted'

-- UsersRepository.list
SELECT ${PROFILE_COLUMNS} FROM users
  WHERE status <> 'deleted' AND ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR email = $2)
    AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
  ORDER BY created_at DESC, id DESC LIMIT $5
