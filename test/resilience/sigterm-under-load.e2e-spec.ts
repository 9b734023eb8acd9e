import { RunningProcess, startBuiltApp } from '../support/api-process';
import { recordFigures } from '../support/figures';
import { sleep, steadyLoad } from '../support/load';

/**
 * SIGTERM to a single API process under keep-alive load: the requests in flight are
 * answered, the only failures afterwards are refused connections (the listener is
 * closed, nothing is reset), and the process exits 0 inside SHUTDOWN_TIMEOUT_MS
 * (past it, it would exit 1).
 */
describe('SIGTERM under load (built API process)', () => {
  let api: RunningProcess;

  afterAll(() => {
    api?.child.kill('SIGKILL');
  });

  it('completes in-flight requests, then refuses new connections, and exits 0 in time', async () => {
    api = await startBuiltApp('api', { SHUTDOWN_TIMEOUT_MS: '8000' }, '/health/ready');
    let exitCode: number | null = -1;
    let exitMs = 0;
    let errorsBeforeSignal: Record<string, number> = {};
    let answeredBeforeSignal = 0;
    const { result } = await steadyLoad(
      { port: api.port, path: '/v1/products?limit=5', timeout: 8 },
      async ({ statuses, errorCodes }) => {
        // Signal once the load is really flowing: a fixed pause proved too short on a busy CI
        // machine (94 answers in 1.5 s), so wait for the answers themselves, up to 15 s.
        const deadline = Date.now() + 15_000;
        while (statuses.length < 200 && Date.now() < deadline) {
          await sleep(100);
        }
        errorsBeforeSignal = { ...errorCodes };
        answeredBeforeSignal = statuses.length;
        const signalledAt = Date.now();
        api.child.kill('SIGTERM');
        exitCode = await api.exited;
        exitMs = Date.now() - signalledAt;
        await sleep(300);
      },
    );
    recordFigures('sigterm-under-load', {
      requests: result.requests.total,
      answeredBeforeSignal,
      errorCodes: result.errorCodes,
      non2xx: result.non2xx,
      timeouts: result.timeouts,
      exitMs,
    });

    expect(exitCode).toBe(0);
    expect(api.output()).toContain('shutdown complete');
    expect(answeredBeforeSignal).toBeGreaterThan(200);
    expect(errorsBeforeSignal).toEqual({});
    // Every request that reached the server was answered with a 2xx; afterwards only
    // connection attempts were refused.
    expect({ non2xx: result.non2xx, timeouts: result.timeouts }).toEqual({ non2xx: 0, timeouts: 0 });
    expect(Object.keys(result.errorCodes).filter((code) => code !== 'ECONNREFUSED')).toEqual([]);
  }, 60_000);
});
