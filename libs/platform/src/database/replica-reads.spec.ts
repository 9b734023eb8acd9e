import type { Logger } from 'pino';
import type { Pool } from 'pg';
import { ReplicaReads } from './replica-reads';
import type { TxHost } from './sql-reads';
import { StatementNames } from './statement-names';

const REST_MS = 1_000;

/** Pools that answer with their name, or fail with `failure` while it is set. */
function pool(name: string) {
  const state: { failure?: Error & { code?: string } } = {};
  const query = jest.fn(() =>
    state.failure ? Promise.reject(state.failure) : Promise.resolve({ rows: [{ on: name }] }),
  );
  return { state, query, pool: { query } as unknown as Pool };
}

const failure = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe('ReplicaReads (pools substituted)', () => {
  const noTransaction = { tx: {} } as unknown as TxHost;
  const logger = { warn: jest.fn() } as unknown as Logger;

  function setUp() {
    const primary = pool('primary');
    const replicas = [pool('r0'), pool('r1')];
    const reads = new ReplicaReads(
      noTransaction,
      new StatementNames(false),
      replicas.map((replica) => replica.pool),
      primary.pool,
      logger,
      REST_MS,
    );
    return { primary, replicas, reads };
  }

  afterEach(() => jest.useRealTimers());

  it('takes the replicas in turn', async () => {
    const { reads } = setUp();
    const answered = [];
    for (let i = 0; i < 4; i++) {
      answered.push((await reads.one<{ on: string }>('SELECT 1'))!.on);
    }
    expect(answered).toEqual(['r0', 'r1', 'r0', 'r1']);
  });

  it.each([
    ['refused', failure('connect ECONNREFUSED 10.0.0.2:5432', 'ECONNREFUSED')],
    ['shutting down', failure('terminating connection due to administrator command', '57P01')],
    ['gone mid-statement', failure('Connection terminated unexpectedly')],
    ['not reached in time', failure('timeout exceeded when trying to connect')],
  ])('reads from the primary when a replica is %s, and leaves it out while it rests', async (_what, error) => {
    jest.useFakeTimers({ now: 0 });
    const { primary, replicas, reads } = setUp();
    replicas[0].state.failure = error;
    const answered = [];
    for (let i = 0; i < 4; i++) {
      answered.push((await reads.one<{ on: string }>('SELECT 1'))!.on);
    }
    expect(answered).toEqual(['primary', 'r1', 'r1', 'r1']);
    expect(replicas[0].query).toHaveBeenCalledTimes(1);
    expect(primary.query).toHaveBeenCalledTimes(1);

    replicas[0].state.failure = undefined;
    jest.setSystemTime(REST_MS + 1);
    const after = [];
    for (let i = 0; i < 2; i++) {
      after.push((await reads.one<{ on: string }>('SELECT 1'))!.on);
    }
    expect(after.sort()).toEqual(['r0', 'r1']);
  });

  it('reads from the primary while every replica rests', async () => {
    const { primary, replicas, reads } = setUp();
    for (const replica of replicas) {
      replica.state.failure = failure('connect ECONNREFUSED', 'ECONNREFUSED');
    }
    for (let i = 0; i < 5; i++) {
      expect(await reads.one('SELECT 1')).toEqual({ on: 'primary' });
    }
    expect(replicas.map((replica) => replica.query.mock.calls.length)).toEqual([1, 1]);
    expect(primary.query).toHaveBeenCalledTimes(5);
  });

  it.each([
    ['a statement error', failure('relation "nope" does not exist', '42P01')],
    ['a statement timeout', failure('canceling statement due to statement timeout', '57014')],
  ])('fails the read on %s, without running it again on the primary', async (_what, error) => {
    const { primary, replicas, reads } = setUp();
    replicas[0].state.failure = error;
    await expect(reads.one('SELECT 1')).rejects.toBe(error);
    expect(primary.query).not.toHaveBeenCalled();
    expect(await reads.one<{ on: string }>('SELECT 1')).toEqual({ on: 'r1' });
  });
});
