/** What CacheAside keeps in Redis per key: the value and the generations it was loaded under. */
export interface StoredEntry<T> {
  v: T;
  g: string[];
}

export function isCurrent(entry: StoredEntry<unknown>, generations: Array<string | undefined>): boolean {
  return (
    Array.isArray(entry.g) &&
    entry.g.length === generations.length &&
    generations.every((generation, index) => generation !== undefined && generation === entry.g[index])
  );
}

export function dataKey(key: string): string {
  return `data:${key}`;
}

export function generationKey(key: string): string {
  return `gen:${key}`;
}

export function tagKey(tag: string): string {
  return `tag:${tag}`;
}
