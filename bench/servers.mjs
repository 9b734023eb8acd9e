// Servers under test, each pinned to CPU 0 (`taskset -c 0 node ...`: taskset execs node,
// so the child's pid is the node process's own, the one whose RSS is read).
import { spawn } from 'node:child_process';
import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_CPU = '0';
export const log = (message) => console.log(`[bench] ${message}`);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The V8 flags production starts the apps with (package.json `config.nodeFlags`, read by
 * `npm start`, PM2 and the Docker image): the built apps are measured as they run.
 */
const appNodeFlags = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).config.nodeFlags.split(' ').filter(Boolean);

/** Starts `node <script>` on CPU 0 with `env` added; its output is kept for a crash report. */
export function startPinned(script, env, name) {
  const flags = script.startsWith('dist/') ? appNodeFlags : [];
  const child = spawn('taskset', ['-c', SERVER_CPU, process.execPath, ...flags, script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d) => (output = (output + d).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  let stopping = false;
  const exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  void exit.then(({ code, signal }) => {
    exited = true;
    if (!stopping) log(`${name} exited (code ${code}, signal ${signal}): ${output.slice(-3000)}`);
  });
  return {
    name,
    pid: child.pid,
    output: () => output,
    alive: () => !exited,
    async stop() {
      if (exited) return;
      stopping = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 2xx; `alive` stops the wait early when the server died. */
export async function pollReady(url, { ms = 90_000, alive = () => true, name = url } = {}) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`${name} exited before it was ready`);
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await sleep(250);
  }
  throw new Error(`${name} not ready: ${url}`);
}

export async function waitReady(server, url) {
  try {
    await pollReady(url, { alive: server.alive, name: server.name });
  } catch (error) {
    throw new Error(`${error.message}: ${server.output().slice(-3000)}`);
  }
  // The pid must be node itself (taskset has exec'd it), or the RSS read is taskset's.
  const exe = readlinkSync(`/proc/${server.pid}/exe`);
  if (exe !== realpathSync(process.execPath)) throw new Error(`${server.name}: pid ${server.pid} runs ${exe}, not node`);
  const affinity = /Cpus_allowed_list:\s+(\S+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1];
  if (affinity !== SERVER_CPU) throw new Error(`${server.name}: pinned to CPUs ${affinity}, not ${SERVER_CPU}`);
}

/** The resident set of a process now, in MB, from /proc/<pid>/status. */
export function rssMb(pid) {
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024);
}

const CLOCK_TICKS = 100; // USER_HZ: the unit of /proc/<pid>/stat times on Linux
/**
 * The CPU time a process (all its threads) has used, in seconds. The machine is shared: a
 * round's req/s depends on how much of CPU 0 the server got, requests per CPU-second of the
 * server does much less, so both are recorded.
 */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
