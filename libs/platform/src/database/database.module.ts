import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Global, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { databaseConfig, readDatabaseConfig } from '../config/database.config';
import { buildDataSourceOptions } from './data-source-options';
import { Database } from './database';
import { DatabasePoolMetrics } from './database-pool.metrics';
import { runMigrationsExclusively } from './run-migrations';
import { StreamingConnections } from './streaming-connections';

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
        if (readDatabaseConfig().migrationsRun) {
          await runMigrationsExclusively(dataSource);
        }
        return dataSource;
      },
    }),
    // Transactions live in async-local storage (nestjs-cls): a service's @Transactional()
    // method opens one, and every repository call under it runs in it. No CLS middleware:
    // a context is opened only by a transaction, so a request that opens none pays nothing.
    ClsModule.forRoot({
      global: true,
      plugins: [new ClsPluginTransactional({ adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() }) })],
    }),
  ],
  providers: [DatabasePoolMetrics, Database, StreamingConnections],
  exports: [Database, StreamingConnections],
})
export class DatabaseModule {}
