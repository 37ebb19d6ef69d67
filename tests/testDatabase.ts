import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

// A fresh database for one test run: on DATABASE_URL's server when set, else on an embedded PostgreSQL in a
// temporary data directory. Dropped (or the cluster removed) afterwards.
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  if (process.env.DATABASE_URL) {
    const serverUrl = process.env.DATABASE_URL;
    await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
    const url = withDatabase(serverUrl, name);
    return { url, drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'torwatch-test-'));
  const previous = process.env.TORWATCH_DATA_DIR;
  process.env.TORWATCH_DATA_DIR = dir;
  const { openEmbeddedDatabase } = await import('../lib/db/embedded');
  const embedded = await openEmbeddedDatabase('command');
  if (previous === undefined) delete process.env.TORWATCH_DATA_DIR;
  else process.env.TORWATCH_DATA_DIR = previous;
  await adminQuery(embedded.url, `CREATE DATABASE ${name}`);
  return {
    url: withDatabase(embedded.url, name),
    async drop() {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
