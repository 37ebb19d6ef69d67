import { ensureBuild } from '../lib/cli/buildStamp';
import { createTestDatabase } from '../tests/testDatabase';

// Once per Playwright run, before any spec starts its server (e2e/specServer.ts): the web app is built if the source
// changed, and without DATABASE_URL an embedded PostgreSQL is started for the run's databases (and removed after).
export default async function globalSetup() {
  process.env.TORWATCH_OFFLINE = '1'; // no e2e server ever fetches from outside this machine
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  ensureBuild((line) => console.log(`e2e: ${line}`));
  if (process.env.DATABASE_URL) return;
  const database = await createTestDatabase('torwatch_e2e');
  process.env.DATABASE_URL = database.url;
  return async () => {
    await database.drop();
  };
}
