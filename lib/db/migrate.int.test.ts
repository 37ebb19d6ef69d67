import { describe, expect, inject, it } from 'vitest';
import { applyMigrations } from './migrate';
import { getPool } from './pool';
import { useTestDatabase } from '../../tests/integration';

useTestDatabase();

describe('migrations', () => {
  it('are applied once and then report nothing pending', async () => {
    expect(await applyMigrations(inject('databaseUrl'))).toEqual([]);
  });

  it('create the tables with inet addresses and the event identity key', async () => {
    const { rows } = await getPool().query(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'network_event' AND column_name IN ('remote_ip', 'ts')`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]))).toEqual({
      remote_ip: 'inet',
      ts: 'timestamp with time zone',
    });
    const index = await getPool().query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'network_event_identity'`);
    expect(index.rows[0].indexdef).toContain('UNIQUE');
  });
});
