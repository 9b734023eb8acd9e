// The load generator: Debian's wrk (C, one event loop per thread), pinned to CPU 1 while
// every server under test is pinned to CPU 0, so the generator never takes the server's
// core. autocannon (Node) needed about as much CPU as the server it measured.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const WRK = '/usr/bin/wrk';
export const LOAD_CPU = '1';
export const CONNECTIONS = 50;
// wrk drops an answer slower than its timeout (default 2 s) from the latency figures and
// counts it as an error: 10 s keeps slow answers in the p99 and still flags a stall.
export const TIMEOUT_SECONDS = 10;

/** Exits the run with the one command to fix it when wrk is not installed. */
export function requireWrk() {
  if (!existsSync(WRK)) {
    console.error(`[bench] ${WRK} not found. Install Debian's wrk:\n\n  apt-get install wrk\n`);
    process.exit(1);
  }
}

/**
 * One wrk run: `taskset -c 1 wrk -t1 -c50 -d<s>s --timeout 10s --latency [-H ...] [-s script] url [-- args]`.
 * Resolves to its parsed figures; `statuses` is filled only by a script that prints
 * `status <code> <count>` lines from its done() hook (bench/lua/orders.lua does).
 */
export function runWrk({ url, seconds, headers = {}, script, scriptArgs = [] }) {
  const args = ['-c', LOAD_CPU, WRK, '-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, `--timeout`, `${TIMEOUT_SECONDS}s`, '--latency'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  if (script) args.push('-s', script);
  args.push(url);
  if (scriptArgs.length > 0) args.push('--', ...scriptArgs);
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited ${code} on ${url}: ${err || out}`));
      try {
        resolve(parseWrk(out));
      } catch (error) {
        reject(new Error(`${error.message}\n--- wrk output for ${url} ---\n${out}${err}`));
      }
    });
  });
}

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function latencyMs(text) {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(text);
  if (!match) throw new Error(`unreadable wrk latency "${text}"`);
  return Number(match[1]) * UNIT_MS[match[2]];
}

/** Reads wrk's text report (wrk has no machine-readable output without a script). */
export function parseWrk(out) {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(out);
  const total = /^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)/m.exec(out);
  const p50 = /^\s+50%\s+(\S+)/m.exec(out);
  const p99 = /^\s+99%\s+(\S+)/m.exec(out);
  if (!rps || !total || !p50 || !p99) throw new Error('wrk output without Requests/sec, request count or latency distribution');
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const statuses = {};
  for (const [, code, count] of out.matchAll(/^status (\d+) (\d+)$/gm)) statuses[code] = Number(count);
  const errors = socket ? { connect: +socket[1], read: +socket[2], write: +socket[3], timeout: +socket[4] } : { connect: 0, read: 0, write: 0, timeout: 0 };
  return {
    rps: Number(rps[1]),
    requests: Number(total[1]),
    p50Ms: round2(latencyMs(p50[1])),
    p99Ms: round2(latencyMs(p99[1])),
    // wrk counts any status >= 400 here (its wording says otherwise).
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: errors.connect + errors.read + errors.write + errors.timeout,
    errors,
    ...(Object.keys(statuses).length > 0 ? { statuses } : {}),
  };
}

const round2 = (n) => Math.round(n * 100) / 100;
