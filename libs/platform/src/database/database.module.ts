import { Global, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { databaseConfig, readDatabaseConfig } from '../config/database.config';
import { buildDataSourceOptions } from './data-source-options';
import { Database } from './database';
import { DatabasePoolMetrics } from './database-pool.metrics';
import { ReplicaCatchUp } from './replica-catch-up';
import { attachReplicaPools, ReplicaStartupCheck } from './replica-pools';
import { runMigrationsExclusively } from './run-migrations';
import { setStatementTimeoutRoleDefault, StatementTimeoutCheck } from './statement-timeout';
import { StreamingConnections } from './streaming-connections';
import { transactionsModule } from './transactions.module';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: ConfigType<typeof databaseConfig>) => {
        if (!config.url) {
          throw new Error('Invalid database configuration: DATABASE_URL is not set');
        }
        return { ...buildDataSourceOptions(config, config.url), autoLoadEntities: true };
      },
      // Migrations run here, before any module can touch a table, and under a lock.
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        const config = readDatabaseConfig();
        // Before any provider reads the driver's pools (Database, ReplicaCatchUp, the metrics).
        attachReplicaPools(dataSource, config.readUrls);
        if (config.pooler === 'pgbouncer') {
          await setStatementTimeoutRoleDefault(dataSource, config);
        }
        if (config.migrationsRun) {
          await runMigrationsExclusively(dataSource);
        }
        return dataSource;
      },
    }),
    transactionsModule(),
  ],
  providers: [
    DatabasePoolMetrics,
    Database,
    StreamingConnections,
    ReplicaCatchUp,
    StatementTimeoutCheck,
    ReplicaStartupCheck,
  ],
  exports: [Database, StreamingConnections, ReplicaCatchUp],
})
export class DatabaseModule {}
