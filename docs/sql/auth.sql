-- The SQL that libs/auth's repositories run, by repository method.
-- Generated from the source by `npm run sql:snapshots` and checked by test/architecture/sql-snapshots.spec.ts:
-- do not edit; rewrite it with the command and review the diff. ${...} is interpolated source text.

-- ==== AccountTokensRepository (libs/auth/src/account-tokens/account-tokens.repository.ts)

-- AccountTokensRepository.save
INSERT INTO account_tokens (id, user_id, purpose, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (id) DO UPDATE SET token_hash = EXCLUDED.token_hash, expires_at = EXCLUDED.expires_at

-- AccountTokensRepository.findUsable
SELECT user_id FROM account_tokens
  WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()

-- AccountTokensRepository.consume
UPDATE account_tokens SET used_at = now()
  WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
  RETURNING user_id

-- AccountTokensRepository.spendAll
UPDATE account_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL

-- AccountTokensRepository.purge
DELETE FROM account_tokens WHERE expires_at < $1 OR used_at < $1

-- ==== MfaChallengesRepository (libs/auth/src/mfa/mfa-challenges.repository.ts)

-- MfaChallengesRepository.insert (1 of 2)
DELETE FROM mfa_challenges WHERE user_id = $1 AND expires_at < now()

-- MfaChallengesRepository.insert (2 of 2)
INSERT INTO mfa_challenges (id, user_id, token_hash, expires_at)
  VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')

-- MfaChallengesRepository.findLive
SELECT user_id FROM mfa_challenges WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()

-- MfaChallengesRepository.consume
UPDATE mfa_challenges SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()

-- ==== MfaRepository (libs/auth/src/mfa/mfa.repository.ts)

-- MfaRepository.find
SELECT secret_sealed, pending_secret_sealed, last_step FROM user_mfa WHERE user_id = $1

-- MfaRepository.savePending
INSERT INTO user_mfa (user_id, pending_secret_sealed) VALUES ($1, $2)
  ON CONFLICT (user_id) DO UPDATE SET pending_secret_sealed = EXCLUDED.pending_secret_sealed, updated_at = now()

-- MfaRepository.activate
UPDATE user_mfa SET secret_sealed = pending_secret_sealed, pending_secret_sealed = NULL, last_step = $3,
        enabled_at = now(), updated_at = now()
  WHERE user_id = $1 AND pending_secret_sealed = $2 AND secret_sealed IS NULL

-- MfaRepository.useStep
UPDATE user_mfa SET last_step = $2, updated_at = now()
  WHERE user_id = $1 AND secret_sealed IS NOT NULL AND (last_step IS NULL OR last_step < $2)

-- MfaRepository.remove (1 of 2)
DELETE FROM mfa_recovery_codes WHERE user_id = $1

-- MfaRepository.remove (2 of 2)
DELETE FROM user_mfa WHERE user_id = $1

-- MfaRepository.replaceRecoveryCodes (1 of 2)
DELETE FROM mfa_recovery_codes WHERE user_id = $1

-- MfaRepository.replaceRecoveryCodes (2 of 2)
INSERT INTO mfa_recovery_codes (id, user_id, code_hash)
  SELECT id, $1, code_hash FROM unnest($2::uuid[], $3::text[]) AS codes (id, code_hash)

-- MfaRepository.useRecoveryCode
UPDATE mfa_recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL

-- ==== RefreshTokensRepository (libs/auth/src/tokens/refresh-tokens.repository.ts)

-- RefreshTokensRepository.insert
INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)

-- RefreshTokensRepository.findOwner
SELECT user_id, family_id FROM refresh_tokens WHERE token_hash = $1

-- RefreshTokensRepository.lockByHash
SELECT id, user_id, family_id, expires_at <= now() AS expired, revoked_at IS NOT NULL AS revoked, replaced_by_id
  FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE

-- RefreshTokensRepository.markReplaced
UPDATE refresh_tokens SET revoked_at = now(), replaced_by_id = $2 WHERE id = $1

-- RefreshTokensRepository.liveFamilyIds
SELECT DISTINCT family_id FROM refresh_tokens
  WHERE user_id = $1 AND revoked_at IS NULL AND created_at > now() - make_interval(secs => $2)

-- RefreshTokensRepository.revokeFamily
UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL

-- RefreshTokensRepository.revokeAllOfUser
UPDATE refresh_tokens SET revoked_at = now()
  WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR family_id <> $2::uuid)

-- RefreshTokensRepository.purge
DELETE FROM refresh_tokens WHERE (expires_at < $1) OR (revoked_at IS NOT NULL AND revoked_at < $1)
