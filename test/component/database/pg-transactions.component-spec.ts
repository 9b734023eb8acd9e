import { Database } from '@app/platform';
import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createPlatformContext } from '../../support/platform-context';

/**
 * `@Transactional()` on the pg pool (TransactionalAdapterPgPool): commit, rollback, a
 * savepoint for Propagation.Nested, a transaction of its own for RequiresNew, and a
 * connection that dies mid-transaction failing only its own request.
 */
describe('Transactions on the pg pool (component)', () => {
  let context: INestApplicationContext;
  let db: Database;
  let tx: TransactionHost;
  const table = `tx_probe_${randomUUID().replaceAll('-', '')}`;

  beforeAll(async () => {
    context = await createPlatformContext();
    db = context.get(Database);
    tx = context.get(TransactionHost);
    await db.execute(`CREATE TABLE ${table} (id text PRIMARY KEY)`);
  });

  afterAll(async () => {
    await db?.execute(`DROP TABLE IF EXISTS ${table}`);
    await context?.close();
  });

  const insert = (id: string) => db.execute(`INSERT INTO ${table} (id) VALUES ($1)`, [id]);
  const exists = async (id: string) => (await db.one(`SELECT id FROM ${table} WHERE id = $1`, [id])) !== null;

  it('commits every statement of the method on one connection, and rolls all of them back when it throws', async () => {
    const [kept, lost] = [randomUUID(), randomUUID()];
    const backends = await tx.withTransaction(async () => {
      await insert(kept);
      return [await db.one('SELECT pg_backend_pid() AS pid'), await db.one('SELECT pg_backend_pid() AS pid')];
    });
    expect(backends[0]).toEqual(backends[1]);
    expect(await exists(kept)).toBe(true);

    await expect(
      tx.withTransaction(async () => {
        await insert(lost);
        expect(await exists(lost)).toBe(true);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await exists(lost)).toBe(false);
  });

  it('rolls a nested transaction back to its savepoint and keeps the outer one', async () => {
    const [outer, inner] = [randomUUID(), randomUUID()];
    await tx.withTransaction(async () => {
      await insert(outer);
      await expect(
        tx.withTransaction(Propagation.Nested, async () => {
          await insert(inner);
          throw new Error('inner refused');
        }),
      ).rejects.toThrow('inner refused');
    });
    expect(await exists(outer)).toBe(true);
    expect(await exists(inner)).toBe(false);
  });

  it('gives RequiresNew a connection and a commit of its own', async () => {
    const [outer, separate] = [randomUUID(), randomUUID()];
    await expect(
      tx.withTransaction(async () => {
        await insert(outer);
        await tx.withTransaction(Propagation.RequiresNew, () => insert(separate));
        throw new Error('outer refused');
      }),
    ).rejects.toThrow('outer refused');
    expect(await exists(separate)).toBe(true);
    expect(await exists(outer)).toBe(false);
  });

  it('fails only the transaction whose connection dies, and the pool goes on with a fresh one', async () => {
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const lost = randomUUID();
      await expect(
        tx.withTransaction(async () => {
          await insert(lost);
          const { pid } = (await db.one<{ pid: number }>('SELECT pg_backend_pid() AS pid'))!;
          await admin.query('SELECT pg_terminate_backend($1)', [pid]);
          // The connection is gone: this statement fails, and so does the transaction.
          await db.one('SELECT 1');
        }),
      ).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(uncaught).toEqual([]);
      expect(await exists(lost)).toBe(false);
      const id = randomUUID();
      await tx.withTransaction(() => insert(id));
      expect(await exists(id)).toBe(true);
    } finally {
      process.off('uncaughtException', onUncaught);
      await admin.end();
    }
  });
});
