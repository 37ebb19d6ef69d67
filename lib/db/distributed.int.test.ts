import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../tests/integration';
import { applyDistributedLayout, eventLayout } from './distributed';
import { applyMigrations } from './migrate';

// TORWATCH_DISTRIBUTED (docs/architecture.md §17.2) on a PostgreSQL without Citus: unset, migrations leave the
// single-node layout alone; set, they refuse with a reason instead of half-applying. The Citus side is the citus stage
// (tests/citus/parity.citus.test.ts).
useTestDatabase();

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});
afterEach(() => {
  delete process.env.TORWATCH_DISTRIBUTED;
});
afterAll(async () => {
  await client.end();
});

describe('TORWATCH_DISTRIBUTED on one node', () => {
  it('unset: nothing to do, and the match plans for the single-node layout', async () => {
    expect(await applyDistributedLayout(client)).toEqual([]);
    expect(await eventLayout(client)).toBe('single');
  });

  it('citus without the extension: migrations refuse, naming what is missing', async () => {
    process.env.TORWATCH_DISTRIBUTED = 'citus';
    await expect(applyDistributedLayout(client)).rejects.toThrow(/no citus extension/);
    await expect(applyMigrations(process.env.DATABASE_URL!)).rejects.toThrow(/TORWATCH_DISTRIBUTED=citus/);
  });

  it('a value other than citus is a configuration error', async () => {
    process.env.TORWATCH_DISTRIBUTED = 'cockroach';
    await expect(applyDistributedLayout(client)).rejects.toThrow(/TORWATCH_DISTRIBUTED must be "citus" or unset/);
  });
});
