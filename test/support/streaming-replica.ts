import { execFile, execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/** Debian's PostgreSQL server binaries (`postgresql-15`); `.ci/run`'s machines have them. */
export const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface ReplicatedPostgres {
  /** URLs of one database that exists on both servers. */
  primaryUrl: string;
  replicaUrl: string;
  /** Stops WAL replay on the replica (returns once it is paused): the primary's later writes do not show there. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Waits until the replica has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  /** Stops both servers and deletes their folders. */
  stop(): Promise<void>;
}

/**
 * A primary PostgreSQL of the test's own and a streaming replica of it (`pg_basebackup -R`),
 * each on a free port of `ports`, in a private folder owned by the `postgres` user (the
 * servers refuse to run as root, so as root they run as that user through `runuser`).
 * Missing binaries fail the caller: this is never skipped.
 */
export async function startStreamingReplica(database: string, ports: readonly number[]): Promise<ReplicatedPostgres> {
  const missing = ['initdb', 'pg_ctl', 'postgres', 'pg_basebackup'].filter(
    (bin) => !existsSync(path.join(PG_BIN, bin)),
  );
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} missing under ${PG_BIN}: apt-get install postgresql-15 (server and client)`);
  }
  const [primaryPort, replicaPort] = await freePortsAmong(ports, 2);
  const root = await mkdtemp(path.join(tmpdir(), 'pg-replica-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const [uid, gid] = await Promise.all([idOfPostgres('-u'), idOfPostgres('-g')]);
    await chown(root, uid, gid);
  }
  const asPostgres = (binary: string, args: string[]): [string, string[]] => {
    const file = path.join(PG_BIN, binary);
    return asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  };
  const pg = (binary: string, args: string[]) => run(...asPostgres(binary, args));
  const dataDir = (name: string) => path.join(root, name);
  const start = (name: string, port: number) =>
    pg('pg_ctl', [
      ...['-D', dataDir(name), '-l', path.join(root, `${name}.log`), '-w', 'start'],
      ...['-o', `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`],
    ]);
  const urlOn = (port: number, name = database) => `postgres://postgres@127.0.0.1:${port}/${name}`;
  const started: string[] = [];
  const stopArgs = (name: string) => ['-D', dataDir(name), '-m', 'immediate', 'stop'];
  // A test process that exits without running its afterAll (Nest exits on a failed boot)
  // still stops the servers and removes their folder.
  const stopAtExit = () => {
    for (const name of [...started].reverse()) {
      try {
        execFileSync(...asPostgres('pg_ctl', stopArgs(name)), { stdio: 'ignore' });
      } catch {
        // Already stopped.
      }
    }
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', stopAtExit);
  const stop = async () => {
    process.off('exit', stopAtExit);
    for (const name of [...started].reverse()) {
      await pg('pg_ctl', stopArgs(name)).catch(() => undefined);
    }
    await rm(root, { recursive: true, force: true });
  };
  try {
    await pg('initdb', [
      '-D',
      dataDir('primary'),
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    await start('primary', primaryPort);
    started.push('primary');
    await sql(urlOn(primaryPort, 'postgres'), `CREATE DATABASE "${database}"`);
    await pg('pg_basebackup', [
      ...['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres'],
      ...['-D', dataDir('replica'), '-R', '-X', 'stream', '-c', 'fast', '--no-sync'],
    ]);
    await start('replica', replicaPort);
    started.push('replica');
  } catch (error) {
    await stop();
    throw error;
  }
  const onReplica = (text: string) => sql(urlOn(replicaPort), text);
  return {
    primaryUrl: urlOn(primaryPort),
    replicaUrl: urlOn(replicaPort),
    async pauseReplay() {
      await onReplica('SELECT pg_wal_replay_pause()');
      await until(async () => (await onReplica('SELECT pg_get_wal_replay_pause_state() AS s'))[0].s === 'paused');
    },
    async resumeReplay() {
      await onReplica('SELECT pg_wal_replay_resume()');
    },
    async caughtUp() {
      const lsn = String((await sql(urlOn(primaryPort), 'SELECT pg_current_wal_lsn()::text AS lsn'))[0].lsn);
      await until(
        async () => (await onReplica(`SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS done`))[0].done === true,
      );
    },
    stop,
  };
}

/** One statement on a connection of its own. */
export async function sql(url: string, text: string): Promise<Array<Record<string, unknown>>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

async function until(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`replica: not reached within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function idOfPostgres(flag: '-u' | '-g'): Promise<number> {
  return Number((await run('id', [flag, 'postgres'])).stdout.trim());
}

/** The first `count` ports of `candidates` nothing listens on. */
async function freePortsAmong(candidates: readonly number[], count: number): Promise<number[]> {
  const free: number[] = [];
  for (const port of candidates) {
    if (free.length === count) {
      break;
    }
    const server = net.createServer();
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (listening) {
      free.push(port);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
  if (free.length < count) {
    throw new Error(`replica: fewer than ${count} free ports among ${candidates.join(', ')}`);
  }
  return free;
}
