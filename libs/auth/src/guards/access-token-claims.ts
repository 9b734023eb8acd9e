/** The claims every access token this API accepts must carry (RFC 8725, section 3.10). */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}

/** How far in the future an `iat` may be: clocks of the hosts differ a little. */
export const IAT_SKEW_SECONDS = 60;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs after the signature, `alg`, `iss`, `aud`, `nbf` and (when present) `exp` were
 * verified, and requires what jsonwebtoken leaves optional: an `exp` and an `iat`, a
 * lifetime no longer than the configured one (a token minted with a leaked key or an
 * older, longer setting lives no longer than ours), an `iat` not in the future, and
 * well-formed `sub` and `sid`. Returns the claims, or why they are refused.
 */
export function readAccessTokenClaims(
  payload: unknown,
  maxLifetimeSeconds: number,
  nowSeconds: number,
): { claims: AccessTokenClaims } | { refused: string } {
  const { sub, sid, iat, exp } = (payload ?? {}) as Record<string, unknown>;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    return { refused: 'it has no expiry (exp)' };
  }
  if (typeof iat !== 'number' || !Number.isFinite(iat)) {
    return { refused: 'it has no issue time (iat)' };
  }
  if (iat > nowSeconds + IAT_SKEW_SECONDS) {
    return { refused: 'it was issued in the future (iat)' };
  }
  if (exp - iat > maxLifetimeSeconds) {
    return { refused: 'its lifetime is longer than this API issues' };
  }
  if (typeof sub !== 'string' || !UUID.test(sub)) {
    return { refused: 'it names no user (sub)' };
  }
  if (typeof sid !== 'string' || !UUID.test(sid)) {
    return { refused: 'it names no session (sid)' };
  }
  return { claims: { sub: sub.toLowerCase(), sid: sid.toLowerCase(), iat, exp } };
}
