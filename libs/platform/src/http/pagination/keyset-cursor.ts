import { PlatformError, PlatformErrorCode } from '../../errors/platform-error';

/** The position after the last row of a page: its sort key and id. */
export interface KeysetPosition {
  /** The sort column's value, as a string (ISO time, number, or text). */
  key: string;
  id: string;
}

/** A UUID, as the `key` pattern of cursors over lists ordered by id. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Cursors are opaque to clients (base64url JSON). Decoding is strict: anything that
 * is not a well-formed position is a 400, never a 500. A cursor edited into another
 * well-formed position merely starts the page elsewhere, which reveals nothing the
 * list itself does not.
 */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.key, position.id])).toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  keyPattern: RegExp = /^.{1,200}$/,
): KeysetPosition | undefined {
  if (cursor === undefined || cursor === '') {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    !keyPattern.test(parsed[0]) ||
    !UUID_PATTERN.test(parsed[1])
  ) {
    throw invalidCursor();
  }
  return { key: parsed[0], id: parsed[1] };
}

/** ISO-8601 UTC timestamps, as cursors over created_at use. */
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

function invalidCursor(): PlatformError {
  return new PlatformError(PlatformErrorCode.ValidationFailed, 'The cursor is not valid for this list.', {
    errors: [{ field: 'cursor', message: 'cursor is malformed or was not issued by this list' }],
  });
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Builds a page from `limit + 1` rows: the extra row only tells whether another page
 * exists, so no COUNT query is ever needed.
 */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  position: (row: R) => KeysetPosition,
  map: (row: R) => T,
): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(map), nextCursor: hasMore && last ? encodeCursor(position(last)) : null };
}
