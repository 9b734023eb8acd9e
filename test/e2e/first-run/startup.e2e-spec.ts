import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startBuiltApp, type RunningProcess } from '../../support/api-process';
import { runToExit } from '../../support/run-to-exit';

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'dist/apps/api/src/main.js');

interface LogLine {
  level: number;
  msg: string;
  context?: string;
  [key: string]: unknown;
}

function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** Holds a port the way another program would. */
async function holdPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function stop(app: RunningProcess): Promise<void> {
  app.child.kill('SIGTERM');
  await app.exited;
}

/** The built API (`npm test` builds it) in JSON mode: stdout is a pipe, not a terminal. */
describe('first run: what the API says at start (built app)', () => {
  it('logs one structured `ready` line with the URL, the Swagger UI and the servers, and no Nest boot chatter at info', async () => {
    const app = await startBuiltApp('api', { METRICS_PORT: '0' });
    await stop(app);
    const lines = logLines(app.output());
    const ready = lines.find((line) => line.msg === 'ready');
    expect(ready).toMatchObject({
      level: 30,
      url: `http://127.0.0.1:${app.port}`,
      docsUrl: `http://127.0.0.1:${app.port}/docs`,
      servers: { database: expect.stringContaining('(DATABASE_URL)') as unknown },
    });
    // A server's address, never its credentials.
    expect(JSON.stringify(ready?.servers)).not.toContain('@');
    expect(lines.filter((line) => line.context === 'InstanceLoader')).toEqual([]);
  });

  it("logs Nest's boot chatter (InstanceLoader, RoutesResolver, RouterExplorer) at debug", async () => {
    const app = await startBuiltApp('api', { METRICS_PORT: '0', LOG_LEVEL: 'debug' });
    await stop(app);
    const chatter = logLines(app.output()).filter((line) =>
      ['InstanceLoader', 'RoutesResolver', 'RouterExplorer'].includes(line.context ?? ''),
    );
    expect(chatter.length).toBeGreaterThan(10);
    expect(new Set(chatter.map((line) => line.level))).toEqual(new Set([20]));
  });

  it('a taken PORT: one line naming PORT, exit 1', async () => {
    const held = await holdPort();
    try {
      const result = await runToExit(process.execPath, [MAIN], {
        cwd: ROOT,
        env: { ...process.env, HOST: '127.0.0.1', PORT: String(held.port), METRICS_PORT: '0', LOG_LEVEL: 'info' },
      });
      expect(result.code).toBe(1);
      // Said once: Nest's own error line about the failed listen is at debug.
      expect(logLines(result.stdout).filter((line) => line.level >= 50)).toEqual([]);
      expect(result.stderr.trim()).toBe(
        `API failed to start: the API cannot listen on 127.0.0.1:${held.port}: the port is in use; set PORT to a free port`,
      );
    } finally {
      await held.release();
    }
  });

  it('a taken METRICS_PORT: one warning line naming METRICS_PORT, and the API still starts', async () => {
    const held = await holdPort();
    try {
      const app = await startBuiltApp('api', { METRICS_PORT: String(held.port) });
      await stop(app);
      const warning = logLines(app.output()).find((line) => line.level === 40 && line.msg.includes('METRICS_PORT'));
      expect(warning?.msg).toBe(
        `the metrics listener cannot listen on 127.0.0.1:${held.port}: the port is in use; set METRICS_PORT to a free port; the API runs without /metrics`,
      );
      expect(warning).not.toHaveProperty('err');
    } finally {
      await held.release();
    }
  });

  it('a taken EMBEDDED_PG_PORT: one line naming EMBEDDED_PG_PORT (not `undefined`), exit 1', async () => {
    const held = await holdPort();
    // Enterable by the postgres user when the tests run as root (no relocation).
    const scratch = mkdtempSync(path.join(tmpdir(), 'first-run-pg-'));
    chmodSync(scratch, 0o755);
    try {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PORT: String(await freePort()),
        METRICS_PORT: '0',
        EMBEDDED_PG_PORT: String(held.port),
        EMBEDDED_PG_DIR: path.join(scratch, 'postgres'),
        LOG_LEVEL: 'silent',
      };
      delete env.DATABASE_URL;
      const result = await runToExit(process.execPath, [MAIN], { cwd: ROOT, env, timeoutMs: 60_000 });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `API failed to start: embedded PostgreSQL cannot listen on 127.0.0.1:${held.port}: the port is in use; set EMBEDDED_PG_PORT to a free port`,
      );
    } finally {
      await held.release();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
