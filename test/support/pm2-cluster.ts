import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');
const PM2 = path.join(ROOT, 'node_modules/pm2/bin/pm2');
const run = promisify(execFile);

export interface Pm2Process {
  pmId: number;
  pid: number;
  status: string;
  restarts: number;
}

/**
 * The API in PM2 cluster mode from the project's own ecosystem.config.js, under a
 * PM2 daemon of its own (private PM2_HOME), so a test never touches another PM2.
 */
export class Pm2Cluster {
  private constructor(
    private readonly home: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly port: number,
  ) {}

  static async start(port: number, instances: number, env: Record<string, string> = {}): Promise<Pm2Cluster> {
    const home = await mkdtemp(path.join(tmpdir(), 'pm2-home-'));
    const cluster = new Pm2Cluster(
      home,
      {
        ...process.env,
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        ...env,
        PORT: String(port),
        API_INSTANCES: String(instances),
        PM2_HOME: home,
      },
      port,
    );
    await cluster.pm2('start', 'ecosystem.config.js', '--only', 'api');
    return cluster;
  }

  async pm2(...args: string[]): Promise<string> {
    const { stdout } = await run(process.execPath, [PM2, ...args], {
      cwd: ROOT,
      env: this.env,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  }

  async processes(): Promise<Pm2Process[]> {
    const list = JSON.parse(await this.pm2('jlist')) as Array<{
      pm_id: number;
      pid: number;
      pm2_env: { status: string; restart_time: number };
    }>;
    return list.map((entry) => ({
      pmId: entry.pm_id,
      pid: entry.pid,
      status: entry.pm2_env.status,
      restarts: entry.pm2_env.restart_time,
    }));
  }

  async stop(): Promise<void> {
    await this.pm2('kill').catch(() => undefined);
    await rm(this.home, { recursive: true, force: true });
  }
}
