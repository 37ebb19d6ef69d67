import pg from 'pg';
import { expect } from '@playwright/test';
import { e2eCommandEnv } from './e2eEnv';
import { torwatchCli } from './login';

/** Loads the demo dataset into this spec's own server (`torwatch demo`) and returns a connection to its database. */
export async function loadDemoData(): Promise<pg.Client> {
  const demo = torwatchCli(['demo']);
  expect(demo.status, demo.stderr).toBe(0);
  const db = new pg.Client({ connectionString: e2eCommandEnv().DATABASE_URL });
  // The spec's server drops its database after the last test, maybe before the spec's afterAll closes this: the
  // connection's end is then expected, not an error.
  db.on('error', () => {});
  await db.connect();
  return db;
}
