import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { parse } from 'yaml';
import { DEMO_ACCOUNTS } from '@app/auth';
import { freePort, startBuiltApp, type RunningProcess } from '../../support/api-process';
import { createIsolatedDatabase } from '../../support/test-database';
import { interpolateDocument } from '../../architecture/compose/interpolate';
import type { ComposeFile, ComposeService } from '../../architecture/compose/compose-structure';

const ROOT = path.resolve(__dirname, '../../..');
const COMPOSE = interpolateDocument(
  parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile,
  {
    JWT_SECRET: 'q9Jx2vT7wLmR4pZs8KdN3bYf6HcA1uEgWo5iXrVt0',
    MFA_ENCRYPTION_KEY: 'Vb8Zq2mN6xR1tK9wP4sL7dF3hJ0gC5yE2aU8iO6nB1s=',
  },
);
const COMPOSE_HEARTBEAT = '/tmp/worker-heartbeat';

/** Runs `command` (a compose exec-form list) as the container would, in the repository (where dist/ is). */
function run(command: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** The service's environment as strings (variables without a value are left out, as compose does when unset). */
function serviceEnv(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment as Record<string, unknown>)
      .filter(([, value]) => value !== null)
      .map(([key, value]) => [key, String(value)]),
  );
}

/**
 * The commands docker-compose.yml runs in its containers, run here against the built
 * apps (no Docker engine on CI): the demo profile's one-off seeding, and the worker's
 * health check on its heartbeat file. Each gets a database of its own.
 */
describe('docker-compose.yml commands (built apps)', () => {
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'compose-commands-'));
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('demo-data seeds the demo accounts, products and plans into the database, then exits 0', async () => {
    const database = await createIsolatedDatabase('demo');
    try {
      const demo = COMPOSE.services['demo-data'];
      // The container's /tmp is its own; here the log goes to this spec's folder.
      const command = (demo.command as string[]).map((arg) =>
        arg.replaceAll('/tmp/demo-data.log', path.join(scratch, 'demo-data.log')),
      );
      const { code, output } = await run(command, {
        ...serviceEnv(demo),
        PATH: process.env.PATH ?? '',
        DATABASE_URL: database.url,
        // The in-process bus, so nothing leaves this database.
        AMQP_URL: '',
        REDIS_URL: '',
        HOST: '127.0.0.1',
        PORT: String(await freePort()),
        FILES_LOCAL_DIR: path.join(scratch, 'files'),
      });
      // The whole object, so a failure shows the API's log.
      expect({ code, output }).toMatchObject({ code: 0 });
      // The log, printed after the run, names the demo accounts it created.
      expect(output).toContain(`demo admin account: ${DEMO_ACCOUNTS[0].email}`);
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        const users = await client.query<{ email: string }>('SELECT email FROM users ORDER BY email');
        expect(users.rows.map((row) => row.email)).toEqual(DEMO_ACCOUNTS.map((account) => account.email).sort());
        const counts = await client.query<{ products: number; plans: number }>(
          'SELECT (SELECT count(*)::int FROM products) AS products, (SELECT count(*)::int FROM plans) AS plans',
        );
        expect(counts.rows[0].products).toBeGreaterThan(0);
        expect(counts.rows[0].plans).toBeGreaterThan(0);
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
  });

  it("the worker's health check passes while it beats, and fails on a missing or stale heartbeat", async () => {
    const { worker } = COMPOSE.services;
    expect(serviceEnv(worker).WORKER_HEARTBEAT_FILE).toBe(COMPOSE_HEARTBEAT);
    const heartbeat = path.join(scratch, 'worker-heartbeat');
    const [kind, ...command] = (worker.healthcheck!.test as string[]).map((arg) =>
      arg.replaceAll(COMPOSE_HEARTBEAT, heartbeat),
    );
    expect(kind).toBe('CMD');
    const check = async () => (await run(command, { PATH: process.env.PATH ?? '' })).code;

    expect(await check()).toBe(1);
    const database = await createIsolatedDatabase('heartbeat');
    let running: RunningProcess | undefined;
    try {
      running = await startBuiltApp('worker', {
        DATABASE_URL: database.url,
        AMQP_URL: '',
        BILLING_RENEWALS_ENABLED: 'false',
        WORKER_HEARTBEAT_FILE: heartbeat,
      });
      expect(await check()).toBe(0);
      // A heartbeat a minute old: the worker stopped beating.
      running.child.kill('SIGTERM');
      await running.exited;
      running = undefined;
      const minuteAgo = new Date(Date.now() - 60_000);
      utimesSync(heartbeat, minuteAgo, minuteAgo);
      expect(await check()).toBe(1);
    } finally {
      running?.child.kill('SIGKILL');
      await database.drop();
    }
  });
});
