import { applyMigrations } from './migrate';
import { openEmbeddedDatabase } from './embedded';

export interface DatabaseLease {
  url: string;
  embedded: boolean;
  release(): Promise<void>;
}

/**
 * The database a process works on: DATABASE_URL when set, else the embedded PostgreSQL of TORWATCH_DATA_DIR
 * (attached when running, started — and stopped again at release — when not). Pending migrations are applied.
 */
export async function leaseDatabase(
  role: 'serve' | 'command',
  log: (line: string) => void = () => {},
): Promise<DatabaseLease> {
  if (process.env.DATABASE_URL) {
    await migrateLogged(process.env.DATABASE_URL, log);
    return { url: process.env.DATABASE_URL, embedded: false, release: async () => {} };
  }
  const embedded = await openEmbeddedDatabase(role, log);
  process.env.DATABASE_URL = embedded.url;
  try {
    await migrateLogged(embedded.url, log);
  } catch (error) {
    delete process.env.DATABASE_URL;
    await embedded.stop();
    throw error;
  }
  return { url: embedded.url, embedded: true, release: () => embedded.stop() };
}

async function migrateLogged(url: string, log: (line: string) => void): Promise<void> {
  const applied = await applyMigrations(url);
  if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
  const { sealPendingSecrets } = await import('@/lib/secrets/sealPendingSecrets');
  await sealPendingSecrets(url, log);
}
