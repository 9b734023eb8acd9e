import type { ByteRange } from './storage/file-storage';

/**
 * Parses a single-range `Range: bytes=...` header against a file of `size` bytes.
 * Returns undefined when the whole file should be sent (no header, several ranges,
 * or a unit other than bytes: RFC 9110 lets a server ignore those), or 'unsatisfiable'.
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
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || start > end) {
    return 'unsatisfiable';
  }
  return { start, end };
}
