import { Database, StreamingConnections } from '@app/platform';
import type { INestApplicationContext } from '@nestjs/common';
import { REPLICA_REST_MS } from '@app/platform/database/replica-reads';
import { createPlatformContext } from '../../support/platform-context';
import { TcpProxy } from '../../support/tcp-proxy';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A "replica" that is the test database behind a proxy the test can cut: while it is
 * unreachable, lag-tolerant reads (and a stream's held connection) are answered by the
 * primary; once it answers again (after its rest), reads go back to it. A real streaming replica's reads: test/e2e/platform/read-replicas.
 */
describe('lag-tolerant reads while a replica is down (component)', () => {
  let proxy: TcpProxy;
  let context: INestApplicationContext;
  let db: Database;

  beforeAll(async () => {
    proxy = await TcpProxy.forUrl(process.env.DATABASE_URL!).start();
    context = await createPlatformContext({ DATABASE_READ_URLS: proxy.rewrite(process.env.DATABASE_URL!) });
    db = context.get(Database);
  });

  afterAll(async () => {
    await context.close();
    await proxy.stop();
  });

  it('reads through the replica while it answers', async () => {
    expect(await db.replica.one('SELECT 1 AS one')).toEqual({ one: 1 });
    expect(proxy.connectionCount).toBeGreaterThan(0);
  });

  it('answers from the primary while the replica is cut off, and goes back to it after its rest', async () => {
    proxy.cut();
    for (let read = 0; read < 20; read++) {
      expect(await db.replica.one<{ n: number }>('SELECT $1::int AS n', [read])).toEqual({ n: read });
    }
    // A stream (an export) holds a primary connection instead.
    const held = await context.get(StreamingConnections).hold({ replica: true });
    expect((await held.client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await held.finish();
    expect(proxy.connectionCount).toBe(0);

    proxy.restore();
    await sleep(REPLICA_REST_MS + 250);
    expect(await db.replica.one('SELECT 2 AS two')).toEqual({ two: 2 });
    expect(proxy.connectionCount).toBeGreaterThan(0);
  }, 20_000);
});

/** A replica that answers with an error (a misconfiguration) fails the start instead: test/e2e/platform/replica-misconfigured. */
describe('starting while a replica is down (component)', () => {
  it('starts, answers lag-tolerant reads from the primary, and uses the replica once it answers', async () => {
    const proxy = await TcpProxy.forUrl(process.env.DATABASE_URL!).start();
    proxy.cut();
    const context = await createPlatformContext({ DATABASE_READ_URLS: proxy.rewrite(process.env.DATABASE_URL!) });
    try {
      const db = context.get(Database);
      expect(await db.replica.one('SELECT 1 AS one')).toEqual({ one: 1 });
      expect(proxy.connectionCount).toBe(0);
      proxy.restore();
      await sleep(REPLICA_REST_MS + 250);
      expect(await db.replica.one('SELECT 2 AS two')).toEqual({ two: 2 });
      expect(proxy.connectionCount).toBeGreaterThan(0);
    } finally {
      await context.close();
      await proxy.stop();
    }
  }, 20_000);
});
