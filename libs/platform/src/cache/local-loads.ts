import type { CacheEviction } from './cache-eviction-channel';

/** One load for the process-local level; `stale` once its key was evicted while it ran. */
interface LocalLoad {
  readonly key: string;
  stale: boolean;
}

/**
 * The loads under way whose result would be kept in process memory, by key. An eviction
 * marks those of its keys (or all of them) stale, so a value read before the eviction
 * is not kept after it. Per key: an invalidation of one key (the stock totals, after
 * every order) leaves the loads of every other key (the products an order reads) free
 * to be kept; a process-wide counter here had kept none of them under a stream of orders.
 */
export class LocalLoads {
  private readonly byKey = new Map<string, Set<LocalLoad>>();

  /** Runs `work` (a load of `key`); `fresh` says whether no eviction of the key happened meanwhile. */
  async track<T>(key: string, work: () => Promise<T>): Promise<{ result: T; fresh: boolean }> {
    const load: LocalLoad = { key, stale: false };
    let loads = this.byKey.get(key);
    if (!loads) {
      loads = new Set();
      this.byKey.set(key, loads);
    }
    loads.add(load);
    try {
      const result = await work();
      return { result, fresh: !load.stale };
    } finally {
      loads.delete(load);
      if (loads.size === 0 && this.byKey.get(key) === loads) {
        this.byKey.delete(key);
      }
    }
  }

  evict(eviction: CacheEviction): void {
    const keys = 'all' in eviction ? [...this.byKey.keys()] : eviction.keys;
    for (const key of keys) {
      for (const load of this.byKey.get(key) ?? []) {
        load.stale = true;
      }
    }
  }
}
