/**
 * The conditional requests this API answers (RFC 9110 §13), in one place so that the
 * cached JSON routes (CachedResponse) and the file downloads agree. Both send strong
 * ETags (`"…"`); clients and proxies may send them back weak (`W/"…"`), e.g. after
 * compressing the body.
 */

/**
 * True when a GET or HEAD should be answered 304 Not Modified: the If-None-Match header
 * is `*` (a current representation exists) or lists an entity tag that matches `etag`
 * by weak comparison (§8.8.3.2: `W/"x"` and `"x"` both match `"x"`). An absent or
 * malformed header matches nothing.
 */
export function isNotModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) {
    return false;
  }
  // Most clients send back exactly the tag they were given.
  if (ifNoneMatch === etag) {
    return true;
  }
  let position = 0;
  while (position < ifNoneMatch.length) {
    const char = ifNoneMatch.charCodeAt(position);
    if (char === COMMA || char === SPACE || char === TAB) {
      position++;
      continue;
    }
    if (char === ASTERISK) {
      return true;
    }
    const tag = entityTagAt(ifNoneMatch, position);
    if (!tag) {
      return false;
    }
    if (tag.opaque === etag) {
      return true;
    }
    position = tag.end;
  }
  return false;
}

/**
 * True when a Range request should be served as a range: there is no If-Range, or it is
 * the current `etag` by strong comparison (§13.1.5, §8.8.3.2). A weak tag, another tag
 * or a date (these responses have no Last-Modified) means the whole representation is
 * sent instead, so a client never splices bytes of two versions.
 */
export function rangeStillApplies(ifRange: string | undefined, etag: string): boolean {
  return ifRange === undefined || ifRange.trim() === etag;
}

const COMMA = 0x2c;
const SPACE = 0x20;
const TAB = 0x09;
const ASTERISK = 0x2a;
const QUOTE = 0x22;

/**
 * The entity tag starting at `start` (`[W/]"…"`, §8.8.3), as its opaque, quoted part
 * (the weakness dropped: weak comparison ignores it), and where it ends. A comma may
 * appear inside the quotes, so the list cannot simply be split on commas.
 */
function entityTagAt(header: string, start: number): { opaque: string; end: number } | undefined {
  const open = header.startsWith('W/', start) ? start + 2 : start;
  if (header.charCodeAt(open) !== QUOTE) {
    return undefined;
  }
  const close = header.indexOf('"', open + 1);
  if (close === -1) {
    return undefined;
  }
  return { opaque: header.slice(open, close + 1), end: close + 1 };
}
