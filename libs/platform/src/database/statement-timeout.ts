import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { databaseConfig, DatabaseConfig } from '../config/database.config';
import { ROOT_LOGGER } from '../logging/root-logger';

/** Another constant than the migrations' lock (run-migrations.ts). */
const ROLE_DEFAULT_LOCK_KEY = 7_426_002;

/**
 * Behind PgBouncer in transaction pooling the per-statement timeout cannot travel as a
 * startup parameter (PgBouncer 1.18 refuses it, and ignoring it would drop it) nor as a
 * session `SET` (that would stay on whichever server connection ran it). So it becomes
 * what every server connection PgBouncer opens starts with: this role's default in this
 * database. Run at start, before migrations; the same statement also sets it on the
 * server connection that runs it, which PgBouncer may have opened before the default
 * existed. Connections opened earlier by other processes keep their value until
 * PgBouncer closes them (StatementTimeoutCheck says so).
 */
export async function setStatementTimeoutRoleDefault(dataSource: DataSource, config: DatabaseConfig): Promise<void> {
  // A whole number of ms (the config schema's env.int), so it can be written into the SQL:
  // ALTER ROLE takes no parameters, and names the database literally (format() quotes it).
  const ms = config.statementTimeoutMs;
  // Processes starting together would update the same catalog row at once and fail
  // with "tuple concurrently updated": a transaction-level lock takes them in turn.
  await dataSource.query(
    `DO $$ BEGIN
       PERFORM pg_advisory_xact_lock(${ROLE_DEFAULT_LOCK_KEY});
       EXECUTE format('ALTER ROLE CURRENT_USER IN DATABASE %I SET statement_timeout = ${ms}', current_database());
     END $$; SET statement_timeout = ${ms}`,
  );
}

/**
 * The timeout must never be silently lost (a pooler that ignores the startup parameter,
 * a role default that changed under open server connections): at start, compare what a
 * connection of the pool really has with DB_STATEMENT_TIMEOUT_MS and warn when they
 * differ. A warning, not a refusal to start: during a rollout that changes the value,
 * PgBouncer still holds server connections with the old one for a while.
 */
@Injectable()
export class StatementTimeoutCheck implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(databaseConfig.KEY) private readonly config: DatabaseConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const [row] = await this.dataSource.query<Array<{ ms: number }>>(
      `SELECT setting::int AS ms FROM pg_settings WHERE name = 'statement_timeout'`,
    );
    if (row.ms !== this.config.statementTimeoutMs) {
      this.logger.warn(
        { statementTimeoutMs: row.ms, configured: this.config.statementTimeoutMs, pooler: this.config.pooler },
        this.config.pooler === 'pgbouncer'
          ? 'statement_timeout differs from DB_STATEMENT_TIMEOUT_MS: PgBouncer holds server connections opened before the role default changed (RECONNECT on its console, or wait for server_lifetime)'
          : 'statement_timeout differs from DB_STATEMENT_TIMEOUT_MS: a pooler dropped the startup parameter? Behind PgBouncer set DATABASE_POOLER=pgbouncer',
      );
    }
  }
}
