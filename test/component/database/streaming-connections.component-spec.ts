import { Database, StreamingConnections } from '@app/platform';
import type { INestApplicationContext } from '@nestjs/common';
import { createPlatformContext } from '../../support/platform-context';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A held connection whose backend dies while the stream is still open (a terminated
 * backend, a restarted server) fails the stream with the connection's own error, not with
 * the bare "not queryable" its COMMIT then gets: a failed export job keeps that error.
 */
describe('StreamingConnections (component)', () => {
  let context: INestApplicationContext;

  beforeAll(async () => {
    context = await createPlatformContext();
  });

  afterAll(async () => {
    await context.close();
  });

  it('reports the terminated connection, not "not queryable", when the COMMIT of a held transaction fails', async () => {
    const held = await context.get(StreamingConnections).hold({ readOnlyTransaction: { statementTimeoutMs: 0 } });
    const pid = (await held.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const closed = new Promise((resolve) => held.client.once('error', resolve));
    await context.get(Database).query('SELECT pg_terminate_backend($1)', [pid]);
    await Promise.race([closed, sleep(5_000)]);
    await expect(held.finish()).rejects.toThrow(/terminat/i);
    held.discard();
  });

  it('finishes a healthy held transaction and hands the connection back', async () => {
    const held = await context.get(StreamingConnections).hold({ readOnlyTransaction: { statementTimeoutMs: 0 } });
    expect((await held.client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await expect(held.finish()).resolves.toBeUndefined();
  });
});
