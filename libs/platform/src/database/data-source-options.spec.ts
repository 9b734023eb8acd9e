import { readDatabaseConfig } from '../config/database.config';
import { buildDataSourceOptions } from './data-source-options';

describe('DATABASE_READ_URLS and the DataSource options', () => {
  const PRIMARY = 'postgres://app@primary:5432/commerce';

  it('without it, one URL and no replication: every statement on the primary', () => {
    const config = readDatabaseConfig({ DATABASE_URL: PRIMARY });
    expect(config.readUrls).toEqual([]);
    const options = buildDataSourceOptions(config, PRIMARY);
    expect(options).toMatchObject({ url: PRIMARY });
    expect(options).not.toHaveProperty('replication');
  });

  it('with it, still the primary alone: replica pools are attached after the start (attachReplicaPools)', () => {
    const config = readDatabaseConfig({
      DATABASE_URL: PRIMARY,
      DATABASE_READ_URLS: ' postgres://app@replica-a:5432/commerce, ,postgresql://app@replica-b/commerce ',
    });
    expect(config.readUrls).toEqual(['postgres://app@replica-a:5432/commerce', 'postgresql://app@replica-b/commerce']);
    const options = buildDataSourceOptions(config, PRIMARY);
    expect(options).toMatchObject({ url: PRIMARY });
    expect(options).not.toHaveProperty('replication');
  });

  it.each(['mysql://app@replica/commerce', 'postgres://app@a/commerce,replica-b:5432'])(
    'refuses %j at start, naming the variable',
    (value) => {
      expect(() => readDatabaseConfig({ DATABASE_URL: PRIMARY, DATABASE_READ_URLS: value })).toThrow(
        /^Invalid database configuration: DATABASE_READ_URLS: must be comma-separated URLs starting with postgres:\/\//,
      );
    },
  );
});
