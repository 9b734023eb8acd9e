import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { productionConfigProblem } from '../../../libs/platform/src/config/production-guard';
import { REPO_ROOT } from '../dependency-cruise';
import { ComposeFile, composeProblems, ComposeService } from './compose-structure';
import { interpolateDocument } from './interpolate';

const SECRET = 'q9Jx2vT7wLmR4pZs8KdN3bYf6HcA1uEgWo5iXrVt0';
const MFA_KEY = 'Vb8Zq2mN6xR1tK9wP4sL7dF3hJ0gC5yE2aU8iO6nB1s=';
const REQUIRED = { JWT_SECRET: SECRET, MFA_ENCRYPTION_KEY: MFA_KEY };
const RAW = readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8');

/** The file as `docker compose config` sees it: YAML with anchors and merge keys, then interpolation. */
function render(env: Record<string, string | undefined>): ComposeFile {
  return interpolateDocument(parse(RAW, { merge: true }) as ComposeFile, env);
}

const environment = (service: ComposeService) => service.environment as Record<string, string | null>;

describe('docker-compose.yml', () => {
  it.each([
    ['JWT_SECRET', 'set JWT_SECRET to 32+ random bytes'],
    ['MFA_ENCRYPTION_KEY', 'set MFA_ENCRYPTION_KEY to 32 random bytes (openssl rand -base64 32)'],
  ])('refuses to render without %s, naming what to set', (name, hint) => {
    const message = `required variable ${name} is missing a value: ${hint}`;
    expect(() => render({ ...REQUIRED, [name]: undefined })).toThrow(message);
    expect(() => render({ ...REQUIRED, [name]: '' })).toThrow(message);
  });

  describe('with JWT_SECRET and MFA_ENCRYPTION_KEY set', () => {
    const file = render(REQUIRED);
    const { api, worker, rabbitmq } = file.services;
    const demo = file.services['demo-data'];

    it('is valid as the compose specification reads it', () => {
      expect(composeProblems(file)).toEqual([]);
    });

    it('gives the API and the worker the secret and a production configuration that passes the fail-closed check', () => {
      for (const service of [api, worker]) {
        const env = environment(service);
        expect(env).toMatchObject({
          NODE_ENV: 'production',
          JWT_SECRET: SECRET,
          MFA_ENCRYPTION_KEY: MFA_KEY,
          DATABASE_URL: 'postgres://commerce:commerce@postgres:5432/commerce',
          REDIS_URL: 'redis://redis:6379',
          AMQP_URL: 'amqp://guest:guest@rabbitmq:5672',
        });
        expect(productionConfigProblem(env as NodeJS.ProcessEnv)).toBeUndefined();
      }
    });

    it('passes ADMIN_EMAIL and ADMIN_PASSWORD through to the API (no value: taken from the environment when set)', () => {
      expect(environment(api)).toMatchObject({ ADMIN_EMAIL: null, ADMIN_PASSWORD: null });
    });

    it('restarts every long-running service, and not the one-off demo seeding', () => {
      for (const [name, service] of Object.entries(file.services)) {
        expect([name, service.restart]).toEqual([name, name === 'demo-data' ? 'no' : 'unless-stopped']);
      }
    });

    it('checks the health of every long-running service, the worker through its heartbeat file', () => {
      for (const [name, service] of Object.entries(file.services).filter(([name]) => name !== 'demo-data')) {
        expect([name, service.healthcheck?.test]).toEqual([name, expect.any(Array)]);
      }
      const heartbeat = environment(worker).WORKER_HEARTBEAT_FILE!;
      expect(heartbeat).toMatch(/^\//);
      expect((worker.healthcheck!.test as string[]).join(' ')).toContain(`statSync('${heartbeat}')`);
    });

    it('names the RabbitMQ host, so its node (and data directory in the volume) survives re-creation', () => {
      expect(rabbitmq.hostname).toBe('rabbitmq');
    });

    it('seeds demo data only in the demo profile, in development mode, on the same database', () => {
      expect(demo.profiles).toEqual(['demo']);
      expect(environment(demo)).toMatchObject({
        NODE_ENV: 'development',
        SEED_DEMO_DATA: 'true',
        DATABASE_URL: environment(api).DATABASE_URL,
      });
      const others = Object.entries(file.services).filter(([name]) => name !== 'demo-data');
      expect(others.filter(([, service]) => service.profiles || /SEED_DEMO/.test(JSON.stringify(service)))).toEqual([]);
      // `$$` reaches the container's shell as `$`.
      expect((demo.command as string[]).at(-1)).toContain('pid=$!;');
    });
  });

  describe('the structure check', () => {
    const valid = () => render(REQUIRED);

    it.each<[string, (file: ComposeFile) => void, string]>([
      [
        'a misspelt key',
        (f) => Object.assign(f.services.api.healthcheck!, { 'start-period': '5s' }),
        'unknown key start-period',
      ],
      ['a bad restart policy', (f) => (f.services.api.restart = 'sometimes'), 'not a restart policy'],
      ['a dependency on a missing service', (f) => (f.services.worker.depends_on = ['nowhere']), 'no service nowhere'],
      [
        'a dependency on a profile-only service',
        (f) => (f.services.worker.depends_on = ['demo-data']),
        'only runs in profile',
      ],
      ['an undeclared named volume', (f) => f.services.api.volumes!.push('lost:/x'), 'lost is not declared'],
      ['a bad duration', (f) => (f.services.api.stop_grace_period = '15 seconds'), 'not a duration'],
    ])('reports %s', (_, breakIt, message) => {
      const file = valid();
      breakIt(file);
      expect(composeProblems(file).join('\n')).toContain(message);
    });
  });
});
