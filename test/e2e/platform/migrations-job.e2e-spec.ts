import path from 'node:path';
import { Client } from 'pg';
import { migrations } from '@app/platform';
import { renderKustomization, podSpecOf } from '../../architecture/k8s/kustomize';
import { runToExit, type Exit } from '../../support/run-to-exit';
import { createIsolatedDatabase } from '../../support/test-database';

const ROOT = path.resolve(__dirname, '../../..');

/** The migrations Job of deploy/k8s as the cluster would run it: its command, its ConfigMap. */
function jobContainer(): { command: string[]; env: Record<string, string> } {
  const objects = renderKustomization(path.join(ROOT, 'deploy/k8s/base'));
  const job = objects.find((object) => object.kind === 'Job')!;
  const container = (podSpecOf(job)!.containers as Array<{ command: string[] }>)[0];
  const configMap = objects.find((object) => object.kind === 'ConfigMap')!;
  return { command: container.command, env: configMap.data as Record<string, string> };
}

/** Runs the Job's command from the repository root, the built dist/ standing in for the image's /app. */
function runJob(env: Record<string, string>): Promise<Exit> {
  const { command, env: configMap } = jobContainer();
  const [program, ...args] = command;
  expect(program).toBe('node');
  return runToExit(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...configMap, ...env },
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
 * The Kubernetes migrations Job (`node dist/apps/api/src/migrate.js`): the pods run with
 * DB_MIGRATIONS_RUN=false, so this one run must leave the schema complete and exit 0,
 * and a second release's run must find nothing to do. Runs the built app (`npm test` builds it).
 */
describe('migrations Job (built)', () => {
  let database: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    database = await createIsolatedDatabase('migrations_job');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('applies every migration to an empty database and exits 0, then finds none pending', async () => {
    const first = await runJob({ DATABASE_URL: database.url });
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toContain(`applied ${migrations.length} migrations`);
    expect(await appliedMigrations(database.url)).toHaveLength(migrations.length);

    const second = await runJob({ DATABASE_URL: database.url });
    expect([second.code, second.stderr]).toEqual([0, '']);
    expect(second.stdout).toContain('no pending migrations');
    expect(await appliedMigrations(database.url)).toHaveLength(migrations.length);
  });

  it('without DATABASE_URL: exit 1 with one line naming it, no embedded database', async () => {
    const result = await runJob({});
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('DATABASE_URL is required')]);
  });
});
