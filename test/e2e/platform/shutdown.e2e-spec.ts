import { request, startBuiltApp } from '../../support/api-process';
import { TcpProxy } from '../../support/tcp-proxy';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the built API as a real process. PostgreSQL sits behind a proxy the test can
 * pause, which holds a /health/ready request in flight while SIGTERM arrives.
 */
describe('graceful shutdown (built API process)', () => {
  let proxy: TcpProxy;

  beforeAll(async () => {
    proxy = await TcpProxy.forUrl(process.env.DATABASE_URL!).start();
  });

  afterAll(async () => {
    await proxy.stop();
  });

  it('on SIGTERM stops accepting, finishes the in-flight request, closes everything and exits 0', async () => {
    const api = await startBuiltApp('api', { DATABASE_URL: proxy.rewrite(process.env.DATABASE_URL!) }, '/health/ready');
    try {
      proxy.pause();
      const inFlight = request(api.port, '/health/ready');
      await sleep(300);

      api.child.kill('SIGTERM');
      await sleep(300);
      // The listener is closed: a new connection is refused while the old request is still open.
      await expect(request(api.port, '/health/live')).rejects.toThrow(/ECONNREFUSED|ECONNRESET|socket hang up/);

      proxy.resume();
      // The in-flight request completes (its database round trip included) instead of
      // being cut off. Readiness itself reports "shutting down" by then, on purpose, so
      // that load balancers stop routing to a draining process.
      const answered = await inFlight;
      expect(answered.status).toBe(503);
      expect(JSON.parse(answered.body)).toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
        detail: 'Not ready: shutting down',
      });

      expect(await api.exited).toBe(0);
      expect(api.output()).toContain('shutdown complete');
    } finally {
      proxy.resume();
      api.child.kill('SIGKILL');
    }
  });
});

describe('worker app (built process)', () => {
  it('boots without HTTP on the same platform, then stops cleanly on SIGTERM', async () => {
    const worker = await startBuiltApp('worker', {});
    try {
      expect(worker.output()).toContain('worker started');
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      expect(worker.output()).toContain('shutdown complete');
    } finally {
      worker.child.kill('SIGKILL');
    }
  });
});
