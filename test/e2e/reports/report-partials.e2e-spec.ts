import { JobsModule } from '@app/jobs';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { uuidv7 } from 'uuidv7';
import { adminEnv } from '../../support/auth-helpers';
import { createPlatformContext } from '../../support/platform-context';
import { createTestApp } from '../../support/test-app';
import { describeWithRabbit } from '../../support/requires';

/**
 * Partial report files left by a process that was killed (SIGKILL, OOM) or hung: the
 * api and the worker remove them when they start. A partial names its writer
 * (`.partial-<uuid>.<pid>.<boot>@<host>`), so one still being written by a live process
 * stays; one from before writers were named goes once it is an hour old.
 */
describe('partial report files at start (e2e)', () => {
  const HOST = hostname().replace(/[^\w.-]/g, '_');
  let filesDir: string;
  let reportsDir: string;
  let live: ChildProcess;

  const exitedPid = async () => {
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.once('exit', resolve));
    return child.pid!;
  };
  const partial = async (owner: string) => {
    const name = `report-${randomUUID()}.csv.partial-${uuidv7()}${owner}`;
    await writeFile(path.join(reportsDir, name), 'id,userId,status\n');
    return name;
  };
  const listed = () => readdir(reportsDir);

  beforeAll(async () => {
    filesDir = await mkdtemp(path.join(tmpdir(), 'report-partials-'));
    reportsDir = path.join(filesDir, 're');
    await mkdir(reportsDir);
    live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
  });

  afterAll(async () => {
    live.kill('SIGKILL');
    await rm(filesDir, { recursive: true, force: true });
  });

  it('the api removes the partials of dead processes when it starts, and keeps a live writer’s', async () => {
    const dead = await partial(`.${await exitedPid()}.0123456789ab@${HOST}`);
    const legacy = `report-${randomUUID()}.ndjson.partial-${uuidv7()}`;
    await writeFile(path.join(reportsDir, legacy), '{}\n');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(path.join(reportsDir, legacy), twoHoursAgo, twoHoursAgo);
    const alive = await partial(`.${live.pid}.0123456789ab@${HOST}`);
    const finished = `report-${randomUUID()}.csv`;
    await writeFile(path.join(reportsDir, finished), 'id\n');
    expect(await listed()).toEqual(expect.arrayContaining([dead, legacy, alive, finished]));

    const app = await createTestApp({ ...adminEnv(), FILES_LOCAL_DIR: filesDir });
    try {
      const after = await listed();
      expect(after).not.toContain(dead);
      expect(after).not.toContain(legacy);
      expect(after).toEqual(expect.arrayContaining([alive, finished]));
    } finally {
      await app.close();
    }
  });

  describeWithRabbit('with RabbitMQ', () => {
    it('the worker removes them when it starts', async () => {
      const dead = await partial(`.${await exitedPid()}.ba9876543210@${HOST}`);
      const worker = await createPlatformContext(
        { FILES_LOCAL_DIR: filesDir, BILLING_RENEWALS_ENABLED: 'false' },
        { imports: [JobsModule] },
      );
      try {
        expect(await listed()).not.toContain(dead);
      } finally {
        await worker.close();
      }
    });
  });
});
