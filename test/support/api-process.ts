import { ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One HTTP request on a fresh connection (no keep-alive agent), for process-level tests. */
/** A run of `count` consecutive free ports (for one metrics port per cluster worker). */
export async function freeConsecutivePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = await freePort();
    const servers: net.Server[] = [];
    try {
      for (let offset = 1; offset < count; offset++) {
        const server = net.createServer();
        await new Promise<void>((resolve, reject) =>
          server.once('error', reject).listen(base + offset, '127.0.0.1', resolve),
        );
        servers.push(server);
      }
      return base;
    } catch {
      // base + offset was taken: try another base.
    } finally {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    }
  }
  throw new Error(`no ${count} consecutive free ports`);
}

export function request(
  port: number,
  pathname: string,
  options: { method?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathname, method: options.method ?? 'GET', agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export interface RunningProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts a built app (`npm run build` output) as a real process and waits until it answers. */
export async function startBuiltApp(
  app: 'api' | 'worker',
  env: Record<string, string>,
  readyPath = '/health/live',
): Promise<RunningProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  let output = '';
  const child = spawn(process.execPath, [path.join(ROOT, `dist/apps/${app}/src/main.js`)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const running = { child, port, output: () => output, exited };
  if (app === 'worker') {
    await waitFor(
      () => output.includes('worker started'),
      30_000,
      () => output,
    );
    return running;
  }
  await waitFor(
    async () => {
      try {
        return (await request(port, readyPath)).status === 200;
      } catch {
        return false;
      }
    },
    30_000,
    () => output,
  );
  return running;
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms\n${describe()}`);
}
