import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { readDatabaseConfig } from './libs/platform/src/config/database.config';
import { buildDataSourceOptions } from './libs/platform/src/database/data-source-options';

/**
 * The DataSource of the TypeORM CLI (`npm run migration:generate|run|revert`): the
 * same options as the apps (libs/platform/src/database/data-source-options.ts), with
 * the entities found by their file names since there is no Nest module graph here.
 * It needs DATABASE_URL; the embedded database of `npm start` listens on
 * postgres://postgres:postgres@127.0.0.1:54329/commerce while the API runs.
 */
const config = readDatabaseConfig();
if (!config.url) {
  throw new Error('Set DATABASE_URL to use the TypeORM CLI');
}

export default new DataSource({
  ...buildDataSourceOptions(config, config.url),
  entities: [`${__dirname}/libs/*/src/**/*.entity.{ts,js}`],
});
