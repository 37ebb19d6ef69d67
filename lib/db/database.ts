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
export async function leaseDatabase(role: 'serve' | 'command', log: (line: string) => void = () => {}): Promise<DatabaseLease> {
  if (process.env.DATABASE_URL) {
    await migrateLogged(process.env.DATABASE_URL, log);
    return { url: process.env.DATABASE_URL, embedded: false, release: async () => {} };
  }
  const embedded = await openEmbeddedDatabase(role, log);
  try {
    await migrateLogged(embedded.url, log);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  process.env.DATABASE_URL = embedded.url;
  return { url: embedded.url, embedded: true, release: () => embedded.stop() };
}

async function migrateLogged(url: string, log: (line: string) => void): Promise<void> {
  const applied = await applyMigrations(url);
  if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
}
