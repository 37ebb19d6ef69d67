import { afterAll, beforeAll, inject } from 'vitest';
import { closeDb, getPool } from '../lib/db/pool';

/** Points the process at this run's test database; call once at the top of an *.int.test.ts file. */
export function useTestDatabase(): void {
  beforeAll(() => {
    process.env.DATABASE_URL = inject('databaseUrl');
  });
  afterAll(async () => {
    await closeDb();
  });
}

/** Empties every TorWatch table (not the migrations record), so a test file starts from nothing. */
export async function resetDatabase(): Promise<void> {
  const { rows } = await getPool().query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  );
  if (rows.length)
    await getPool().query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
}
