import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort, waitFor } from './api-process';

/** Debian's `pgbouncer` package, which `.ci/run` installs (suites check with describeWithPgBouncer). */
export const PGBOUNCER_BINARY = '/usr/sbin/pgbouncer';

/**
 * A PgBouncer of the test's own in `pool_mode = transaction`, in front of the PostgreSQL
 * of `serverUrl` (every database, as the same user), on a free port or one of TEST_PGBOUNCER_PORT's.
 * PgBouncer refuses to run as root, so as root it runs as the `postgres` system user,
 * with its config and auth file in a private folder owned by that user. `stop()` ends it
 * and removes the folder.
 */
export class PgBouncer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly folder: string,
    readonly port: number,
    private readonly user: string,
  ) {}

  static async start(serverUrl: string): Promise<PgBouncer> {
    const server = new URL(serverUrl);
    const user = decodeURIComponent(server.username) || 'postgres';
    const port = nextConfiguredPort() ?? (await freePort());
    const folder = await mkdtemp(path.join(tmpdir(), 'pgbouncer-'));
    const ini = path.join(folder, 'pgbouncer.ini');
    const authFile = path.join(folder, 'userlist.txt');
    await writeFile(
      ini,
      [
        '[databases]',
        // The fallback entry: any database name the client asks for, on the real server.
        `* = host=${server.hostname} port=${server.port || 5432}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        // No socket file: nothing of this PgBouncer outside its own folder.
        'unix_socket_dir =',
        'pool_mode = transaction',
        'default_pool_size = 20',
        'max_client_conn = 500',
        // The server below trusts local connections (as CI's does); PgBouncer still wants the user listed.
        'auth_type = trust',
        `auth_file = ${authFile}`,
        `admin_users = ${user}`,
        // Left at its default on purpose: an unknown startup parameter must be refused, not dropped.
        'ignore_startup_parameters =',
        '',
      ].join('\n'),
    );
    await writeFile(authFile, `"${user}" ""\n`);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      const { uid, gid } = postgresUser();
      for (const file of [folder, ini, authFile]) {
        await chown(file, uid, gid);
      }
    }
    const command = asRoot ? ['runuser', '-u', 'postgres', '--', PGBOUNCER_BINARY, ini] : [PGBOUNCER_BINARY, ini];
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const bouncer = new PgBouncer(child, folder, port, user);
    try {
      await waitFor(
        () => child.exitCode === null && output.includes('process up'),
        10_000,
        () => `pgbouncer did not start:\n${output}`,
      );
    } catch (error) {
      await bouncer.stop();
      throw error;
    }
    return bouncer;
  }

  /** `databaseUrl`'s database, reached through this PgBouncer. */
  url(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /** One command on PgBouncer's admin console (`SHOW POOLS`, `SHOW SERVERS`, ...). */
  async admin<T>(command: string): Promise<T[]> {
    const client = new Client({ host: '127.0.0.1', port: this.port, user: this.user, database: 'pgbouncer' });
    await client.connect();
    try {
      // The console speaks only the simple protocol: a query without parameters.
      return (await client.query(command)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      // runuser passes SIGTERM on; PgBouncer's SIGTERM closes every connection at once.
      this.child.kill('SIGTERM');
      await exited;
    }
    await rm(this.folder, { recursive: true, force: true });
  }
}

let started = 0;

/**
 * With TEST_PGBOUNCER_PORT, a port from a block of ten above it per jest worker, the next
 * one at each start, so parallel specs never pick the same port.
 */
function nextConfiguredPort(): number | undefined {
  const base = Number(process.env.TEST_PGBOUNCER_PORT);
  if (!base) {
    return undefined;
  }
  const worker = Number(process.env.JEST_WORKER_ID ?? 1) - 1;
  return base + worker * 10 + (started++ % 10);
}

function postgresUser(): { uid: number; gid: number } {
  const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres']).toString().trim()));
  return { uid, gid };
}
