interface Entry {
  count: number;
  expiresAt: number;
}

const SWEEP_EVERY = 1_000;

/**
 * The per-process stand-in for the Redis counters when Redis is absent or failing:
 * the same operations as the Lua scripts, on expiring counters. Expired counters are
 * swept now and then, so a flood of one-off keys does not grow the map for ever.
 */
export class FailureMemoryStore {
  private readonly counters = new Map<string, Entry>();
  private writes = 0;

  reserve(
    pairKey: string,
    accountKey: string,
    windowMs: number,
    allowance: (accountCount: number) => number,
  ): { allowed: boolean; retryAfterMs: number; accountCount: number } {
    const now = Date.now();
    const pair = this.live(pairKey, now);
    const account = this.live(accountKey, now);
    if ((pair?.count ?? 0) >= allowance(account?.count ?? 0)) {
      return { allowed: false, retryAfterMs: (pair?.expiresAt ?? now) - now, accountCount: account?.count ?? 0 };
    }
    this.increment(pairKey, pair, now + windowMs);
    const accountCount = this.increment(accountKey, account, now + windowMs);
    if (++this.writes % SWEEP_EVERY === 0) {
      this.sweep(now);
    }
    return { allowed: true, retryAfterMs: 0, accountCount };
  }

  /** Takes one reserved attempt back off a counter. */
  uncount(key: string): void {
    const entry = this.live(key, Date.now());
    if (entry && entry.count > 0) {
      entry.count--;
    }
  }

  delete(key: string): void {
    this.counters.delete(key);
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.counters.get(key);
    return entry && entry.expiresAt > now ? entry : undefined;
  }

  private increment(key: string, entry: Entry | undefined, expiresAt: number): number {
    if (entry) {
      return ++entry.count;
    }
    this.counters.set(key, { count: 1, expiresAt });
    return 1;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.counters) {
      if (entry.expiresAt <= now) {
        this.counters.delete(key);
      }
    }
  }
}
