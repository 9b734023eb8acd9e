import { randomBytes } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';

/**
 * Who writes a partial file, in its name: `<key>.partial-<uuid>.<pid>.<boot>@<host>`.
 * `boot` is random per process, so a restarted container that reuses the pid (and the
 * hostname) of the process it replaces still tells its own partials from the dead one's.
 */
const BOOT = randomBytes(6).toString('hex');
const HOST = hostname().replace(/[^\w.-]/g, '_');
export const PARTIAL_OWNER = `.${process.pid}.${BOOT}@${HOST}`;

const OWNED = /\.partial-[0-9a-f-]{36}\.(\d+)\.([0-9a-f]+)@(.+)$/;
/** Partials of another host, or from before owners were named, are judged by age alone. */
const UNKNOWN_OWNER_STALE_MS = 60 * 60 * 1000;

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function isStale(file: string, name: string): Promise<boolean> {
  const owner = OWNED.exec(name);
  if (owner && owner[3] === HOST) {
    const pid = Number(owner[1]);
    return pid === process.pid ? owner[2] !== BOOT : processGone(pid);
  }
  const { mtimeMs } = await stat(file);
  return Date.now() - mtimeMs > UNKNOWN_OWNER_STALE_MS;
}

/**
 * Removes the partial files in `dir` whose key starts with `keyPrefix` and whose writer
 * is gone (killed, crashed, or hung before its restart); a live writer's are kept.
 * Returns the names removed.
 */
export async function sweepStalePartials(dir: string, keyPrefix: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(keyPrefix) || !name.includes('.partial-')) {
      continue;
    }
    const file = path.join(dir, name);
    try {
      if (await isStale(file, name)) {
        await rm(file, { force: true });
        removed.push(name);
      }
    } catch (error) {
      // Renamed or removed by its writer meanwhile: nothing left to sweep.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
    }
  }
  return removed;
}
