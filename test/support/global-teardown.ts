import { adminQuery } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.TEST_SERVER_DATABASE_URL;
  const runName = process.env.TEST_RUN_NAME;
  if (serverUrl && runName) {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${runName}" WITH (FORCE)`);
  }
  await (globalThis as { __EMBEDDED_PG__?: { stop(): Promise<void> } }).__EMBEDDED_PG__?.stop();
}
