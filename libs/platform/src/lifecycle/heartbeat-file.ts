import { writeFileSync } from 'node:fs';

/** How often the file is rewritten; a healthcheck calls a file older than 3 beats stale. */
export const HEARTBEAT_INTERVAL_MS = 10_000;

/**
 * The worker serves no HTTP, so a container healthcheck cannot ask it anything: instead
 * it rewrites a file (the time, in ms) every beat from its event loop, and the
 * healthcheck checks the file's age. A process whose event loop is stuck (or that died)
 * stops beating and turns unhealthy. Returns the function that stops the beat.
 */
export function startHeartbeatFile(file: string, intervalMs = HEARTBEAT_INTERVAL_MS): () => void {
  const beat = () => writeFileSync(file, `${Date.now()}\n`);
  beat();
  const timer = setInterval(() => {
    try {
      beat();
    } catch {
      // A full or read-only disk: the stale file reports the problem.
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
