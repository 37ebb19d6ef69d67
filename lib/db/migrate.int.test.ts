import { describe, expect, inject, it } from 'vitest';
import { applyMigrations } from './migrate';
import { getPool } from './pool';
import { useTestDatabase } from '../../tests/integration';

useTestDatabase();

describe('migrations', () => {
  it('are applied once and then report nothing pending', async () => {
    expect(await applyMigrations(inject('databaseUrl'))).toEqual([]);
  });

  it('create the tables with inet addresses and the lean event indexes', async () => {
    const { rows } = await getPool().query(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'network_event' AND column_name IN ('remote_ip', 'ts')`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]))).toEqual({
      remote_ip: 'inet',
      ts: 'timestamp with time zone',
    });
    // The identity is checked by its writers inside each device's span, the BRIN on ts narrowing the time range
    // (docs/architecture.md §4.6); the match probes remote_ip alone.
    const index = await getPool().query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN ('network_event_ts_idx', 'network_event_remote_ip_idx') ORDER BY 1`,
    );
    expect(index.rows.map((r) => r.indexdef.replace(/^.* USING /, ''))).toEqual([
      'btree (remote_ip)',
      "brin (ts) WITH (pages_per_range='16')",
    ]);
  });
});
