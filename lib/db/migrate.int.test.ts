import { describe, expect, inject, it } from 'vitest';
import { applyMigrations } from './migrate';
import { getPool } from './pool';
import { useTestDatabase } from '../../tests/integration';

useTestDatabase();

describe('migrations', () => {
  it('are applied once and then report nothing pending', async () => {
    expect(await applyMigrations(inject('databaseUrl'))).toEqual([]);
  });

  it('create the tables with inet addresses and the index the event identity is checked through', async () => {
    const { rows } = await getPool().query(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'network_event' AND column_name IN ('remote_ip', 'ts')`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]))).toEqual({
      remote_ip: 'inet',
      ts: 'timestamp with time zone',
    });
    // The identity is checked by its writers through the b-tree on ts (docs/architecture.md §4.6).
    const index = await getPool().query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'network_event_ts_idx'`);
    expect(index.rows[0].indexdef).toContain('USING btree (ts)');
  });
});
