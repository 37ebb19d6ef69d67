import pg from 'pg';
import { expect } from '@playwright/test';
import { e2eCommandEnv } from './e2eEnv';
import { torwatchCli } from './login';

/**
 * A connection to the e2e server's database, with the demo dataset loaded once per server (the first spec that needs
 * hits loads it). Returns the connection and whether this call loaded the demo.
 */
export async function demoDatabase(spec: string): Promise<{ db: pg.Client; loaded: boolean }> {
  const url = e2eCommandEnv().DATABASE_URL;
  if (!url) throw new Error(`run the ${spec} e2e with DATABASE_URL set`);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM hit`);
  if (rows[0].n > 0) return { db, loaded: false };
  const demo = torwatchCli(['demo']);
  expect(demo.status, demo.stderr).toBe(0);
  return { db, loaded: true };
}
