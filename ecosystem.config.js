// PM2 process file: `npm run start:cluster` (pm2-runtime, foreground) or `pm2 start ecosystem.config.js`.
//
// The API runs in cluster mode on every core (API_INSTANCES to change); the worker,
// which runs the RabbitMQ consumers and cron jobs, runs once in fork mode. Cluster
// mode is meant to run with DATABASE_URL, REDIS_URL, AMQP_URL, JWT_SECRET and MFA_ENCRYPTION_KEY set:
// each API process then shares the cache, rate limits and queues; crons are also
// guarded by PostgreSQL advisory locks, so a second worker would skip them.
const fs = require('node:fs');
const path = require('node:path');

// Node 24 from the `node` devDependency when it is installed; the machine's node otherwise.
const bundledNode = path.join(__dirname, 'node_modules', 'node', 'bin', 'node');
const interpreter = fs.existsSync(bundledNode) ? bundledNode : 'node';

// The V8 flags every API and worker process runs with: one place, package.json's
// config.nodeFlags (docs/performance.md, "Memory", says why these).
const nodeArgs = require('./package.json').config.nodeFlags;

// The app drains for up to SHUTDOWN_TIMEOUT_MS; PM2 must wait longer than that before
// SIGKILL (its default kill_timeout of 1.6 s would cut the drain short).
const shutdownTimeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS || 10000);

const common = {
  interpreter,
  node_args: nodeArgs,
  cwd: __dirname,
  // Readiness comes from process.send('ready') in main.ts, after the listener is up.
  wait_ready: true,
  listen_timeout: 30000,
  kill_timeout: shutdownTimeoutMs + 2000,
  max_memory_restart: '1G',
  merge_logs: true,
  time: false,
  env: { NODE_ENV: 'production' },
};

module.exports = {
  apps: [
    {
      ...common,
      name: 'api',
      script: 'dist/apps/api/src/main.js',
      exec_mode: 'cluster',
      instances: process.env.API_INSTANCES || 'max',
    },
    {
      ...common,
      name: 'worker',
      script: 'dist/apps/worker/src/main.js',
      exec_mode: 'fork',
      instances: 1,
    },
  ],
};
