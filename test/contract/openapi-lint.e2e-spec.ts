import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestApp } from '../support/test-app';

const ROOT = path.resolve(__dirname, '../..');
const SPECTRAL = path.join(ROOT, 'node_modules/@stoplight/spectral-cli/dist/index.js');

/**
 * The OpenAPI document the API serves, linted by Spectral with its OpenAPI rules and the
 * OWASP API Security Top 10 ruleset (.spectral.yaml, where every rule turned off says
 * why). Any error fails; warnings are reported by `npx spectral lint` but allowed.
 */
describe('OpenAPI document quality (Spectral + OWASP ruleset)', () => {
  let app: NestFastifyApplication;
  let directory: string;

  beforeAll(async () => {
    app = await createTestApp();
    directory = await mkdtemp(path.join(tmpdir(), 'spectral-'));
  });

  afterAll(async () => {
    await app.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('has no error', async () => {
    const documentPath = path.join(directory, 'openapi.json');
    await writeFile(documentPath, (await app.inject({ method: 'GET', url: '/docs-json' })).body);
    const lint = promisify(execFile)(
      process.execPath,
      [SPECTRAL, 'lint', documentPath, '-r', path.join(ROOT, '.spectral.yaml'), '--fail-severity=error', '-f', 'text'],
      {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const outcome = await lint.then(
      () => ({ errors: [] as string[] }),
      (error: { stdout?: string; stderr?: string; message?: string }) => {
        const lines = (error.stdout ?? '').split('\n').filter((line) => / error /.test(line));
        // A failure without error lines (the ruleset did not load, say) fails too.
        return {
          errors: lines.length > 0 ? lines : [`spectral failed: ${error.stderr || error.message || 'unknown error'}`],
        };
      },
    );
    expect(outcome.errors).toEqual([]);
  }, 120_000);
});
