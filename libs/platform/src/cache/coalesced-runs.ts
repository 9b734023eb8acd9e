/**
 * Runs a task for an id at most once at a time, and lets callers that arrive meanwhile
 * share the next run instead of each starting one: while a run is in flight, the first
 * caller queues one follow-up run and every later caller joins it.
 *
 * Every caller's promise settles with a run that *started after the caller asked*, so a
 * task whose effect must follow the caller's own earlier work (a cache invalidation after
 * the caller's commit) keeps that guarantee, while a burst of N callers costs at most two
 * runs instead of N. Used for CacheAside's invalidations: under a stream of orders every
 * request invalidated the same stock totals, one Redis write and one pub/sub round each.
 */
export class CoalescedRuns {
  private readonly runs = new Map<string, { running: Promise<void>; queued?: Promise<void> }>();

  run(id: string, task: () => Promise<void>): Promise<void> {
    const current = this.runs.get(id);
    if (!current) {
      return this.start(id, task);
    }
    // Joined only before it starts: a queued run has not begun, so it follows this caller.
    current.queued ??= current.running.then(
      () => this.start(id, task),
      () => this.start(id, task),
    );
    return current.queued;
  }

  private start(id: string, task: () => Promise<void>): Promise<void> {
    const running = Promise.resolve()
      .then(task)
      .finally(() => {
        const entry = this.runs.get(id);
        if (entry?.running === running && !entry.queued) {
          this.runs.delete(id);
        }
      });
    // The queued run becomes the running one; later callers queue behind it.
    this.runs.set(id, { running });
    return running;
  }
}
