/**
 * PostgreSQL cannot store U+0000 in text (`invalid byte sequence for encoding "UTF8":
 * 0x00`), so a NUL character anywhere in client input would surface as a 500 deep in a
 * repository. It is refused once, at the edge, for every string of every body, query and
 * path parameter (validation.pipe.ts) and for the headers the API stores (the
 * Idempotency-Key).
 */
export function containsNul(text: string): boolean {
  return text.includes('\u0000');
}

/**
 * The paths (`items.0.name`) of every string value or object key holding a NUL, at any
 * depth. Iterative, so even a value nested far deeper than the JSON parser allows could
 * not overflow the stack; stops after `limit` findings.
 */
export function findNulCharacters(value: unknown, limit = 20): string[] {
  const found: string[] = [];
  const pending: Array<{ value: unknown; path: string; badKey?: boolean }> = [{ value, path: '' }];
  const seen = new Set<object>();
  while (pending.length > 0 && found.length < limit) {
    const current = pending.pop()!;
    if (current.badKey || typeof current.value === 'string') {
      if (current.badKey || containsNul(current.value as string)) {
        found.push(current.path);
      }
      continue;
    }
    if (current.value === null || typeof current.value !== 'object' || seen.has(current.value)) {
      continue;
    }
    seen.add(current.value);
    const entries = Object.entries(current.value as Record<string, unknown>);
    // Reversed onto the stack, so findings come out in document order.
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, child] = entries[index];
      pending.push({ value: child, path: joinPath(current.path, key), badKey: containsNul(key) });
    }
  }
  return found;
}

function joinPath(parent: string, key: string): string {
  // The NUL itself is not echoed back in the problem's field name.
  const printable = key.replaceAll('\u0000', '\\0');
  return parent === '' ? printable : `${parent}.${printable}`;
}
