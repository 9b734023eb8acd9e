/**
 * What a person who just ran `npm start` needs to know, said once when the API is
 * ready: where it answers, how to log in, where its data went and which servers are
 * real. At a terminal it is a short banner; in JSON mode the same facts are one
 * structured `ready` log line.
 */
export interface StartupFacts {
  url: string;
  /** Unset when SWAGGER_ENABLED=false. */
  docsUrl?: string;
  /** The seeded demo accounts (empty when no demo data was seeded). */
  demoAccounts: Array<{ email: string; password: string; role: string }>;
  /** Folders (or an S3 bucket) the API writes to. */
  data: { postgres?: string; mail?: string; uploads: string };
  /** Each backing server: embedded / in memory, or the real one it talks to. */
  servers: { database: string; cache: string; bus: string };
}

export function formatBanner(facts: StartupFacts): string {
  const lines = ['', `  API ready at ${facts.url}`, ...(facts.docsUrl ? [`  Swagger UI   ${facts.docsUrl}`] : [])];
  if (facts.demoAccounts.length > 0) {
    lines.push('', '  Demo accounts (log in through POST /v1/auth/login or the Swagger UI):');
    const width = Math.max(...facts.demoAccounts.map((account) => account.role.length));
    for (const account of facts.demoAccounts) {
      lines.push(`    ${account.role.padEnd(width)}  ${account.email} / ${account.password}`);
    }
  }
  lines.push('', '  Data:');
  if (facts.data.postgres) {
    lines.push(`    PostgreSQL  ${facts.data.postgres}`);
  }
  if (facts.data.mail) {
    lines.push(`    emails      ${facts.data.mail}`);
  }
  lines.push(`    uploads     ${facts.data.uploads}`);
  lines.push(
    '',
    '  Servers:',
    `    database    ${facts.servers.database}`,
    `    cache       ${facts.servers.cache}`,
    `    messages    ${facts.servers.bus}`,
    '',
  );
  return `${lines.join('\n')}\n`;
}

/** `host:port` of a server URL: its credentials stay out of the log. */
export function serverAddress(url: string): string {
  const parsed = new URL(url);
  return parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
}
