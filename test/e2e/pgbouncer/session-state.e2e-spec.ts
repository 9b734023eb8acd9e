import {
  buildDataSourceOptions,
  Database,
  MIGRATION_LOCK_KEY,
  migrations,
  readDatabaseConfig,
  runMigrationsExclusively,
  setStatementTimeoutRoleDefault,
  StatementTimeoutCheck,
} from '@app/platform';
import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { PgBouncer } from '../../support/pgbouncer';
import { createPlatformContext } from '../../support/platform-context';
import { describeWithPgBouncer } from '../../support/requires';
import { createIsolatedDatabase } from '../../support/test-database';

const TIMEOUT_MS = 1000;

interface LockHolder {
  pid: number;
  state: string;
  me: number;
}
const lockHolders: LockHolder[][] = [];

/** A last migration that looks, while it runs, at who holds the migration lock. */
class ProbeMigrationLock9999999999999 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    lockHolders.push(
      await queryRunner.query(
        `SELECT l.pid, a.state, pg_backend_pid() AS me FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.objid = $1 AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [MIGRATION_LOCK_KEY],
      ),
    );
  }

  async down(): Promise<void> {}
}

/**
 * What does not survive transaction pooling, checked through a real PgBouncer 1.18.
 *
 * Migrations: their lock must hold while they run on other connections, and be released.
 * The timeout: PgBouncer 1.18 refuses the pool's `statement_timeout` startup parameter, and a
 * session `SET` would not follow a client across server connections: with
 * DATABASE_POOLER=pgbouncer the timeout is the role's default in the database, which
 * every server connection PgBouncer opens starts with.
 */
describeWithPgBouncer('session state through PgBouncer in transaction pooling (e2e)', () => {
  let bouncer: PgBouncer;
  let database: { url: string; drop(): Promise<void> };
  let pooledUrl: string;

  beforeAll(async () => {
    bouncer = await PgBouncer.start(process.env.TEST_SERVER_DATABASE_URL!);
    database = await createIsolatedDatabase('pgbouncer_state');
    pooledUrl = bouncer.url(database.url);
  });

  afterAll(async () => {
    await bouncer?.stop();
    await database?.drop();
  });

  it('applies each migration exactly once when two processes migrate a fresh database at once, and frees the lock', async () => {
    const config = readDatabaseConfig({ DATABASE_URL: pooledUrl, DATABASE_POOLER: 'pgbouncer' });
    const all = [...migrations, ProbeMigrationLock9999999999999];
    const processes = [0, 1].map(
      () => new DataSource({ ...buildDataSourceOptions(config, pooledUrl), migrations: all }),
    );
    try {
      await Promise.all(processes.map((dataSource) => dataSource.initialize()));
      const applied = await Promise.all(processes.map((dataSource) => runMigrationsExclusively(dataSource)));
      expect(applied.flat().sort()).toEqual(all.map((migration) => migration.name).sort());
      // Held by an open transaction on another connection: what pins a server connection in PgBouncer.
      expect(lockHolders).toHaveLength(1);
      expect(lockHolders[0]).toHaveLength(1);
      expect(lockHolders[0][0].state).toBe('idle in transaction');
      expect(lockHolders[0][0].pid).not.toBe(lockHolders[0][0].me);
      // Released: a third run takes the lock at once and finds nothing to do.
      await expect(runMigrationsExclusively(processes[0])).resolves.toEqual([]);
      const [locks] = await processes[1].query<Array<{ held: number }>>(
        `SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      expect(locks.held).toBe(0);
    } finally {
      for (const dataSource of processes.filter((each) => each.isInitialized)) {
        await dataSource.destroy();
      }
    }
  });

  it('is set as the role default by eight processes at once, without a catalog conflict', async () => {
    const config = readDatabaseConfig({
      DATABASE_URL: pooledUrl,
      DATABASE_POOLER: 'pgbouncer',
      DB_POOL_SIZE: '8',
      DB_STATEMENT_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    const dataSource = await new DataSource(buildDataSourceOptions(config, pooledUrl)).initialize();
    try {
      // Eight connections of the pool, eight server connections: eight ALTER ROLEs at once, five times.
      const settled: Array<PromiseSettledResult<void>> = [];
      for (let round = 0; round < 5; round++) {
        settled.push(
          ...(await Promise.allSettled(
            Array.from({ length: 8 }, () => setStatementTimeoutRoleDefault(dataSource, config)),
          )),
        );
      }
      expect(settled.filter((result) => result.status === 'rejected')).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('is refused as a startup parameter when DATABASE_POOLER is left at none', async () => {
    const config = readDatabaseConfig({ DATABASE_URL: pooledUrl, DB_CONNECT_TIMEOUT_MS: '2000' });
    const dataSource = new DataSource(buildDataSourceOptions(config, pooledUrl));
    await expect(dataSource.initialize()).rejects.toThrow('unsupported startup parameter: statement_timeout');
  });

  describe('with DATABASE_POOLER=pgbouncer', () => {
    let context: INestApplicationContext;

    beforeAll(async () => {
      // Migrations run at start, through PgBouncer too.
      context = await createPlatformContext({
        DATABASE_URL: pooledUrl,
        DATABASE_POOLER: 'pgbouncer',
        DB_STATEMENT_TIMEOUT_MS: String(TIMEOUT_MS),
        DB_POOL_SIZE: '4',
      });
      // PgBouncer still holds the server connections the migrations above opened before
      // the role default existed; they keep no timeout until closed. As after a first
      // deployment (docs/scaling.md), RECONNECT closes them once they are released.
      await bouncer.admin('RECONNECT');
    });

    afterAll(async () => {
      await context?.close();
    });

    it('holds on every server connection the pool is given', async () => {
      const db = context.get(Database);
      // Four statements at once hold four server connections, each from PgBouncer's pool.
      const rows = await Promise.all(
        [1, 2, 3, 4].map(() =>
          db.one<{ ms: number; pid: number }>(
            `SELECT setting::int AS ms, pg_backend_pid() AS pid, pg_sleep(0.3)::text FROM pg_settings WHERE name = 'statement_timeout'`,
          ),
        ),
      );
      expect(new Set(rows.map((row) => row?.pid)).size).toBe(4);
      expect(rows.map((row) => row?.ms)).toEqual([TIMEOUT_MS, TIMEOUT_MS, TIMEOUT_MS, TIMEOUT_MS]);
      const pools = await bouncer.admin<{ database: string; pool_mode: string }>('SHOW POOLS');
      expect(pools.find((pool) => pool.database === new URL(database.url).pathname.slice(1))?.pool_mode).toBe(
        'transaction',
      );
    });

    it('is compared at start with DB_STATEMENT_TIMEOUT_MS, and a difference is a warning', async () => {
      const warnings: unknown[][] = [];
      const logger = { warn: (...args: unknown[]) => void warnings.push(args) } as unknown as Logger;
      const dataSource = context.get(DataSource);
      const config = readDatabaseConfig({ DATABASE_POOLER: 'pgbouncer', DB_STATEMENT_TIMEOUT_MS: String(TIMEOUT_MS) });
      await new StatementTimeoutCheck(dataSource, config, logger).onModuleInit();
      expect(warnings).toEqual([]);
      await new StatementTimeoutCheck(dataSource, { ...config, statementTimeoutMs: 15_000 }, logger).onModuleInit();
      expect(warnings).toEqual([
        [
          { statementTimeoutMs: TIMEOUT_MS, configured: 15_000, pooler: 'pgbouncer' },
          expect.stringContaining('RECONNECT'),
        ],
      ]);
    });

    it('cuts a slow statement off', async () => {
      await expect(context.get(Database).query('SELECT pg_sleep(20)')).rejects.toMatchObject({
        code: '57014',
        message: 'canceling statement due to statement timeout',
      });
    });
  });
});
