import { readDatabaseConfig } from '../config/database.config';
import { buildDataSourceOptions } from './data-source-options';

describe('DATABASE_READ_URLS: replicas in the DataSource options', () => {
  const PRIMARY = 'postgres://app@primary:5432/commerce';

  it('without it, one URL and no replication: every statement on the primary', () => {
    const config = readDatabaseConfig({ DATABASE_URL: PRIMARY });
    expect(config.readUrls).toEqual([]);
    const options = buildDataSourceOptions(config, PRIMARY);
    expect(options).toMatchObject({ url: PRIMARY });
    expect(options).not.toHaveProperty('replication');
  });

  it("with it, TypeORM's replication: the primary as master, each replica (trimmed, blanks dropped) a slave, nothing implicit on a slave", () => {
    const config = readDatabaseConfig({
      DATABASE_URL: PRIMARY,
      DATABASE_READ_URLS: ' postgres://app@replica-a:5432/commerce, ,postgresql://app@replica-b/commerce ',
    });
    const options = buildDataSourceOptions(config, PRIMARY);
    expect(options).not.toHaveProperty('url');
    expect(options).toMatchObject({
      replication: {
        master: { url: PRIMARY },
        slaves: [{ url: 'postgres://app@replica-a:5432/commerce' }, { url: 'postgresql://app@replica-b/commerce' }],
        defaultMode: 'master',
      },
    });
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
