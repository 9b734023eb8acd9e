import type { ThrottlerStorage } from '@nestjs/throttler';

/** What a throttler storage answers for one hit (the package's ThrottlerStorageRecord, not exported from its root). */
export type ThrottleRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * What the counter needs from the shared store: add this process's hits to a key's
 * fixed window (starting it if new) and answer the window's total and what is left of
 * it and of a block. One round trip for all keys of one reconciliation.
 */
export interface SharedWindowStore {
  addHits(
    batch: ReadonlyArray<{ key: string; hits: number; ttlMs: number; limit: number; blockMs: number }>,
  ): Promise<Array<{ total: number; ttlMs: number; blockedMs: number }>>;
}

interface Window {
  /** Hits counted here and not yet sent to the shared store. */
  pending: number;
  /** The window's total in the shared store at the last reconciliation (all processes). */
  shared: number;
  endsAt: number;
  blockedUntil: number;
  ttlMs: number;
  limit: number;
  blockMs: number;
}

/**
 * The general per-client rate limit, counted in this process and reconciled with the
 * shared store (Redis) at least once a second, as the contract allows for it: a request
 * costs a Map lookup instead of a Redis round trip. Each process adds its pending hits
 * to the shared window and learns the total of all processes, so a client spread over
 * N workers is held to the limit within one reconciliation interval of traffic.
 * While the shared store fails, each process keeps its own windows (fail open to a
 * per-process limit, never to an error). The auth limits do not use this: they stay
 * exact, one Redis call per request.
 */
export class ReconciledCounter {
  private readonly windows = new Map<string, Window>();
  private readonly timer: NodeJS.Timeout;
  private flushing = false;

  constructor(
    private readonly store: SharedWindowStore | null,
    intervalMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setInterval(() => void this.reconcile(), intervalMs);
    this.timer.unref();
  }

  increment(key: string, ttlMs: number, limit: number, blockMs: number): ThrottleRecord {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || (window.endsAt <= now && window.blockedUntil <= now)) {
      window = { pending: 0, shared: 0, endsAt: now + ttlMs, blockedUntil: 0, ttlMs, limit, blockMs };
      this.windows.set(key, window);
    }
    window.pending++;
    const total = window.shared + window.pending;
    if (window.blockedUntil <= now && total > limit) {
      window.blockedUntil = now + blockMs;
    }
    const isBlocked = window.blockedUntil > now;
    return {
      totalHits: total,
      timeToExpire: Math.ceil(Math.max(window.endsAt - now, 0) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
    };
  }

  /** Sends every key's pending hits in one batch and takes the shared totals back. */
  async reconcile(): Promise<void> {
    const now = this.now();
    for (const [key, window] of this.windows) {
      if (window.pending === 0 && window.endsAt <= now && window.blockedUntil <= now) {
        this.windows.delete(key);
      }
    }
    if (!this.store || this.flushing) {
      return;
    }
    const batch = [...this.windows]
      .filter(([, window]) => window.pending > 0)
      .map(([key, window]) => ({ key, window, hits: window.pending }));
    if (batch.length === 0) {
      return;
    }
    this.flushing = true;
    try {
      const replies = await this.store.addHits(
        batch.map(({ key, window, hits }) => ({
          key,
          hits,
          ttlMs: window.ttlMs,
          limit: window.limit,
          blockMs: window.blockMs,
        })),
      );
      const at = this.now();
      batch.forEach(({ window, hits }, index) => {
        const reply = replies[index];
        window.pending -= hits;
        window.shared = reply.total;
        window.endsAt = at + Math.max(reply.ttlMs, 0);
        window.blockedUntil = Math.max(window.blockedUntil, reply.blockedMs > 0 ? at + reply.blockedMs : 0);
      });
    } catch {
      // The shared store failed: the hits stay pending here and this process keeps
      // limiting on its own count until the next reconciliation succeeds.
    } finally {
      this.flushing = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
