import { Database } from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createPlatformContext } from '../../support/platform-context';

/**
 * Repositories' statements are prepared once per connection (PostgreSQL keeps the plan),
 * and still planned for their parameters where a generic plan would lose an index.
 * Behind PgBouncer (DATABASE_POOLER=pgbouncer) they run unnamed: test/e2e/pgbouncer.
 */
describe('Prepared statements (component)', () => {
  let context: INestApplicationContext;
  let db: Database;
  let tx: TransactionHost;

  beforeAll(async () => {
    context = await createPlatformContext();
    db = context.get(Database);
    tx = context.get(TransactionHost);
  });

  afterAll(async () => {
    await context.close();
  });

  /** Runs `work` and reads the prepared statements, all on one connection (a transaction's). */
  const onOneConnection = (work: () => Promise<unknown>) =>
    tx.withTransaction(async () => {
      await work();
      return db.query<{ statement: string; generic_plans: string; custom_plans: string }>(
        'SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements',
      );
    });

  it('prepares a statement once and runs it again from its prepared form', async () => {
    const marker = `probe-${randomUUID()}`;
    const sql = `SELECT $1::text AS marker, '${marker}' AS tag`;
    const prepared = await onOneConnection(async () => {
      for (let run = 0; run < 3; run++) {
        expect(await db.one(sql, [String(run)])).toEqual({ marker: String(run), tag: marker });
      }
    });
    const mine = prepared.filter((row) => row.statement.includes(marker));
    expect(mine).toHaveLength(1);
    expect(Number(mine[0].generic_plans) + Number(mine[0].custom_plans)).toBe(3);
  });

  it('keeps planning an optional filter for its parameters, so its index is used', async () => {
    const table = `prepared_probe_${randomUUID().replaceAll('-', '')}`;
    await db.execute(`CREATE TABLE ${table} (id int PRIMARY KEY, owner int NOT NULL)`);
    try {
      await db.execute(`INSERT INTO ${table} SELECT n, n % 1000 FROM generate_series(1, 20000) n`);
      await db.execute(`CREATE INDEX ON ${table} (owner)`);
      await db.execute(`ANALYZE ${table}`);
      const sql = `SELECT id FROM ${table} WHERE ($1::int IS NULL OR owner = $1::int) ORDER BY id DESC LIMIT 5`;
      const prepared = await onOneConnection(async () => {
        // Unfiltered runs first (an admin's list), then a filtered one.
        for (let run = 0; run < 6; run++) {
          await db.query(sql, [null]);
        }
        expect((await db.query<{ id: number }>(sql, [7])).map((row) => row.id)).toEqual([
          19007, 18007, 17007, 16007, 15007,
        ]);
      });
      const mine = prepared.find((row) => row.statement.includes(table) && row.statement.includes('owner ='))!;
      expect(Number(mine.custom_plans)).toBe(7);
      expect(Number(mine.generic_plans)).toBe(0);
    } finally {
      await db.execute(`DROP TABLE ${table}`);
    }
  });
});
