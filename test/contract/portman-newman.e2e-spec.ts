import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { RunningProcess, startBuiltApp } from '../support/api-process';
import { register } from '../support/auth-helpers';
import { recordFigures } from '../support/figures';
import { httpInjector } from '../support/http-injector';

// newman ships no types; this is the slice of its run summary read here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const newman = require('newman') as {
  run(
    options: object,
    callback: (
      error: Error | null,
      summary: {
        run: {
          failures: Array<{ error: { message: string; test?: string }; source?: { name?: string } }>;
          stats: Record<string, { total: number; failed: number }>;
        };
      },
    ) => void,
  ): void;
};

const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);

/**
 * Contract, variation and fuzz tests that nobody here wrote: @apideck/portman turns
 * the served OpenAPI document into a Postman collection (test/contract/portman-config.json
 * says which operations get which tests), and newman runs it against the live API.
 */
describe('portman + newman against the live API', () => {
  let api: RunningProcess;
  let directory: string;

  beforeAll(async () => {
    api = await startBuiltApp('api', {}, '/health/ready');
    directory = await mkdtemp(path.join(tmpdir(), 'portman-'));
  });

  afterAll(async () => {
    api?.child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
  });

  it('passes every generated contract and fuzz test', async () => {
    const baseUrl = `http://127.0.0.1:${api.port}`;
    const documentPath = path.join(directory, 'openapi.json');
    const collectionPath = path.join(directory, 'collection.json');
    await writeFile(documentPath, await (await fetch(`${baseUrl}/docs-json`)).text());
    await run(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/@apideck/portman/bin/portman'),
        '-l',
        documentPath,
        '-b',
        baseUrl,
        '-c',
        path.join(ROOT, 'test/contract/portman-config.json'),
        '-o',
        collectionPath,
      ],
      { cwd: directory, maxBuffer: 64 * 1024 * 1024 },
    );
    const collection = JSON.parse(await readFile(collectionPath, 'utf8')) as object;
    const { accessToken } = await register(httpInjector(api.port));
    // Logout, logout-all and a password change end the session they are called with
    // (its access tokens are refused at once): they run on a session of their own.
    const { accessToken: sessionEndingToken } = await register(httpInjector(api.port));

    const summary = await new Promise<Parameters<Parameters<typeof newman.run>[1]>[1]>((resolve, reject) =>
      newman.run(
        {
          collection,
          envVar: [
            { key: 'bearerToken', value: accessToken },
            { key: 'sessionEndingToken', value: sessionEndingToken },
            { key: 'baseUrl', value: baseUrl },
          ],
          reporters: [],
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      ),
    );
    const failures = summary.run.failures.map(
      (failure) => `${failure.source?.name ?? '?'}: ${failure.error.test ?? ''} ${failure.error.message}`,
    );
    recordFigures('portman-newman', {
      requests: summary.run.stats.requests.total,
      assertions: summary.run.stats.assertions.total,
      failed: summary.run.stats.assertions.failed,
    });
    expect(failures).toEqual([]);
    expect(summary.run.stats.assertions.total).toBeGreaterThan(30);
  }, 180_000);
});
