import { formatBanner, serverAddress, StartupFacts } from './startup-banner';

const FACTS: StartupFacts = {
  url: 'http://localhost:3000',
  docsUrl: 'http://localhost:3000/docs',
  demoAccounts: [
    { email: 'admin@demo.local', password: 'admin-password', role: 'admin' },
    { email: 'customer@demo.local', password: 'customer-password', role: 'customer' },
  ],
  data: { postgres: '/repo/.data/postgres', mail: '/repo/.data/mail', uploads: '/repo/.data/files' },
  servers: { database: 'embedded PostgreSQL', cache: 'in memory', bus: 'in-process' },
};

describe('formatBanner', () => {
  it('gives the URL, the Swagger UI, the demo accounts, the data folders and the servers', () => {
    const banner = formatBanner(FACTS);
    for (const fact of [
      'http://localhost:3000',
      'http://localhost:3000/docs',
      'admin@demo.local / admin-password',
      'customer@demo.local / customer-password',
      '/repo/.data/postgres',
      '/repo/.data/mail',
      '/repo/.data/files',
      'embedded PostgreSQL',
      'in memory',
      'in-process',
    ]) {
      expect(banner).toContain(fact);
    }
  });

  it('leaves out what does not apply: no Swagger UI, no demo data, a real database, no mail folder', () => {
    const banner = formatBanner({
      ...FACTS,
      docsUrl: undefined,
      demoAccounts: [],
      data: { uploads: 's3://bucket' },
    });
    expect(banner).not.toContain('Swagger');
    expect(banner).not.toContain('Demo accounts');
    expect(banner).not.toContain('PostgreSQL  ');
    expect(banner).not.toContain('emails');
    expect(banner).toContain('s3://bucket');
  });
});

describe('serverAddress', () => {
  it('keeps the host and port, never the credentials', () => {
    expect(serverAddress('postgres://user:secret@db.internal:5433/commerce')).toBe('db.internal:5433');
    expect(serverAddress('redis://:secret@cache')).toBe('cache');
  });
});
