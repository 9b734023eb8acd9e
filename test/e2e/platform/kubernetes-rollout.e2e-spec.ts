import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { migrations } from '@app/platform';
import { containerEnvironment, workloads, type Container } from '../../architecture/k8s/k8s-objects';
import { renderKustomization, type K8sObject } from '../../architecture/k8s/kustomize';
import { freePort, request, waitFor } from '../../support/api-process';
import { runToExit, type Exit } from '../../support/run-to-exit';
import { createIsolatedDatabase } from '../../support/test-database';

const ROOT = path.resolve(__dirname, '../../..');
const PROD = renderKustomization(path.join(ROOT, 'deploy/k8s/prod'));

function container(id: string): Container {
  return workloads(PROD).find((workload) => workload.id === id)!.pod.containers[0];
}

/**
 * A container's environment exactly as the prod overlay gives it, the external Secret's
 * required keys filled from `secrets` (optional ones absent, as in a minimal Secret).
 */
function podEnvironment(objects: K8sObject[], of: Container, secrets: Record<string, string>): Record<string, string> {
  return containerEnvironment(objects, of, (ref) => (ref.optional ? undefined : secrets[ref.key]));
}

/** Runs a container's command from the repository root, the built dist/ standing in for the image's /app. */
function runCommand(of: Container, env: Record<string, string>): Promise<Exit> {
  const [program, ...args] = of.command!;
  expect(program).toBe('node');
  return runToExit(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    timeoutMs: 30_000,
  });
}

async function appliedMigrations(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

/**
 * The prod overlay's rollout order on this machine's real servers, with the built apps
 * (`npm test` builds them): the migrations Job's command on an empty database, then the
 * API and the worker with the pods' own environment (DB_MIGRATIONS_RUN=false among it),
 * which must come up ready. Only what is specific to the machine is replaced: the Secret's
 * values, ports other processes here may hold, the emptyDirs' paths, and the names on the
 * shared Redis and RabbitMQ.
 */
describe('Kubernetes rollout, prod overlay (built apps)', () => {
  const job = container('Job/commerce-migrations');
  let database: { url: string; drop(): Promise<void> };
  let scratch: string;
  let secrets: Record<string, string>;

  beforeAll(async () => {
    database = await createIsolatedDatabase('k8s_rollout');
    scratch = mkdtempSync(path.join(tmpdir(), 'k8s-rollout-'));
    secrets = {
      DATABASE_URL: database.url,
      REDIS_URL: process.env.REDIS_URL!,
      AMQP_URL: process.env.AMQP_URL!,
      JWT_SECRET: 'q9Jx2vT7wLmR4pZs8KdN3bYf6HcA1uEgWo5iXrVt0',
      MFA_ENCRYPTION_KEY: 'Vb8Zq2mN6xR1tK9wP4sL7dF3hJ0gC5yE2aU8iO6nB1s=',
    };
  });

  afterAll(async () => {
    await database?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('migrations Job: applies every migration to an empty database and exits 0, then finds none pending', async () => {
    const env = podEnvironment(PROD, job, secrets);
    const first = await runCommand(job, env);
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toContain(`applied ${migrations.length} migrations`);
    expect(await appliedMigrations(database.url)).toHaveLength(migrations.length);

    const second = await runCommand(job, env);
    expect([second.code, second.stderr]).toEqual([0, '']);
    expect(second.stdout).toContain('no pending migrations');
  });

  it('migrations Job without DATABASE_URL: exit 1 with one line naming it, no embedded database', async () => {
    const result = await runCommand(job, podEnvironment(PROD, job, {}));
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('DATABASE_URL is required')]);
  });

  it('then the API and the worker, with the pods environment, come up ready and stop cleanly', async () => {
    const run = process.env.TEST_RUN_NAME ?? 'k8s';
    const [port, metricsPort] = [await freePort(), await freePort()];
    const machine = {
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      MAIL_DIR: path.join(scratch, 'mail'),
      FILES_LOCAL_DIR: path.join(scratch, 'files'),
      REDIS_KEY_PREFIX: `${run}-k8s`,
      AMQP_NAME_PREFIX: `${run}-k8s`,
    };
    const apiEnv: Record<string, string> = {
      ...podEnvironment(PROD, container('Deployment/commerce-api'), secrets),
      ...machine,
    };
    const heartbeat = path.join(scratch, 'worker-heartbeat');
    const worker = container('Deployment/commerce-worker');
    const workerEnv: Record<string, string> = {
      ...podEnvironment(PROD, worker, secrets),
      ...machine,
      WORKER_HEARTBEAT_FILE: heartbeat,
    };
    expect([apiEnv.NODE_ENV, apiEnv.DB_MIGRATIONS_RUN, workerEnv.DB_MIGRATIONS_RUN]).toEqual([
      'production',
      'false',
      'false',
    ]);

    const api = spawnApp([process.execPath, 'dist/apps/api/src/main.js'], apiEnv);
    // The pod's own command: `sh -c "exec node $(flags) dist/apps/worker/src/main.js"`.
    const workerProcess = spawnApp(worker.command!, workerEnv);
    try {
      await waitFor(
        async () => (await request(port, '/health/ready').catch(() => ({ status: 0 }))).status === 200,
        30_000,
        api.output,
      );
      const ready = JSON.parse((await request(port, '/health/ready')).body) as { info: Record<string, unknown> };
      expect(Object.keys(ready.info).sort()).toEqual(['postgres', 'rabbitmq', 'redis']);
      expect((await request(metricsPort, '/metrics')).status).toBe(200);

      await waitFor(() => existsSync(heartbeat), 30_000, workerProcess.output);
      const liveness = worker.livenessProbe!.exec!.command.map((part) =>
        part.replace('/tmp/worker-heartbeat', heartbeat),
      );
      const probe = await runToExit(process.execPath, liveness.slice(1), { env: { PATH: process.env.PATH ?? '' } });
      expect(probe.code).toBe(0);

      api.child.kill('SIGTERM');
      workerProcess.child.kill('SIGTERM');
      expect([await api.exited, await workerProcess.exited]).toEqual([0, 0]);
    } finally {
      api.killGroup();
      workerProcess.killGroup();
    }
  });
});

/** Starts `[program, ...args]` with exactly `env` (and a PATH whose `node` is this Node), from the repository root. */
function spawnApp([program, ...args]: string[], env: Record<string, string>) {
  const child = spawn(program, args, {
    cwd: ROOT,
    env: { PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A group of its own: a shell that did not exec leaves node behind, killed with the group.
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  return { child, exited, output: () => output, killGroup };
}
