import type { ByteRange } from './storage/file-storage';

/**
 * Parses a single-range `Range: bytes=...` header against a file of `size` bytes.
 * Returns undefined when the whole file should be sent (no header, an invalid one,
 * several ranges, or a unit other than bytes: RFC 9110 lets a server ignore those),
 * or 'unsatisfiable' (a valid range that starts past the end).
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) {
    return undefined;
  }
  const match = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!match) {
    return undefined;
  }
  const [, first, last] = match;
  if (first === '' && last === '') {
    return undefined;
  }
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) {
      return 'unsatisfiable';
    }
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) {
    // RFC 9110 §14.1.1: a last-pos below first-pos makes the range invalid, and a
    // server ignores an invalid Range header (the whole file, 200), not a 416.
    return undefined;
  }
  if (start >= size) {
    return 'unsatisfiable';
  }
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}
