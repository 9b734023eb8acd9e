// (h) PM2 cluster mode, 2 workers against 1, on scenario (b): the project's own ecosystem
// file, each configuration under a private PM2 daemon of its own, both up at once so the
// rounds alternate like every other scenario. The workers are not pinned (a cluster
// exists to use both cores) while wrk keeps CPU 1: on 2 cores this cannot show a
// cluster's gain, only its cost; it needs a separate load machine. Reported, no target.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ratio } from './report.mjs';
import { measureSides, SCENARIOS } from './scenarios.mjs';
import { log, pollReady, root } from './servers.mjs';

function pm2Daemon(env, instances) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'bench-pm2-'));
  const pm2 = (...args) => {
    const run = spawnSync(process.execPath, [path.join(root, 'node_modules/pm2/bin/pm2'), ...args], {
      cwd: root,
      env: { ...process.env, ...env, PM2_HOME: home, API_INSTANCES: String(instances) },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`pm2 ${args.join(' ')}: ${run.stderr || run.stdout}`);
  };
  return {
    start: () => pm2('start', 'ecosystem.config.js', '--only', 'api'),
    kill() {
      try {
        pm2('kill');
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    },
  };
}

/** `apiEnv(port, metricsPort)` gives the API's environment; `ports` the two listeners and their metrics ports. */
export async function measureCluster({ apiEnv, ports, ctx, settings }) {
  const one = pm2Daemon(apiEnv(ports.oneWorker, ports.oneWorkerMetrics), 1);
  const two = pm2Daemon(apiEnv(ports.twoWorkers, ports.twoWorkersMetrics), 2);
  try {
    one.start();
    two.start();
    await pollReady(`http://127.0.0.1:${ports.oneWorker}/health/ready`, { name: 'PM2 1 worker' });
    await pollReady(`http://127.0.0.1:${ports.twoWorkers}/health/ready`, { name: 'PM2 2 workers' });
    const scenario = { ...SCENARIOS.find((s) => s.id === 'b'), id: 'h' };
    const sides = await measureSides(scenario, { twoWorkers: { port: ports.twoWorkers }, oneWorker: { port: ports.oneWorker } }, ctx, settings);
    const row = {
      kind: 'cluster',
      scenario: 'h',
      name: `PM2 cluster, 2 workers vs 1, scenario (b), ${os.cpus().length} cores, workers unpinned, wrk on CPU 1`,
      sides,
      ratio: ratio(sides.twoWorkers.rps.median, sides.oneWorker.rps.median),
      target: null,
    };
    log(`h cluster: 2 workers ${sides.twoWorkers.rps.median} req/s vs 1 worker ${sides.oneWorker.rps.median} req/s (${row.ratio}x)`);
    return row;
  } finally {
    one.kill();
    two.kill();
  }
}
