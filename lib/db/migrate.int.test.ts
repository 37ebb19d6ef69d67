import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { applyMigrations, isAtomic } from './migrate';
import { getPool } from './pool';
import { useTestDatabase } from '../../tests/integration';
import { createTestDatabase } from '../../tests/testDatabase';

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

describe('a migration in one transaction that failed', () => {
  it('leaves nothing behind and is applied again by the next run', async () => {
    const db = await createTestDatabase('torwatch_migration_retry');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await applyMigrations(db.url, { upTo: '20261201002000_episode_page_indexes' });
      // An index of that name elsewhere makes the lean-indexes migration fail at its second statement.
      await client.query('CREATE TABLE squatter (x inet)');
      await client.query('CREATE INDEX network_event_remote_ip_idx ON squatter (x)');
      await expect(applyMigrations(db.url)).rejects.toThrow(/already exists/);
      const indexes = async () =>
        (
          await client.query<{ name: string }>(
            `SELECT indexname AS name FROM pg_indexes WHERE tablename = 'network_event' ORDER BY 1`,
          )
        ).rows.map((r) => r.name);
      // Its first statement (dropping the (remote_ip, ts) index) was rolled back with the rest.
      expect(await indexes()).toEqual([
        'network_event_batch_id_idx',
        'network_event_remote_ip_ts_idx',
        'network_event_ts_idx',
      ]);
      await client.query('DROP TABLE squatter');
      expect(await applyMigrations(db.url)).toEqual([
        '20261201003000_event_lean_indexes',
        '20261201003500_event_transport',
        '20261201004000_dictionary_sequences',
      ]);
      expect(await indexes()).toEqual([
        'network_event_batch_id_idx',
        'network_event_remote_ip_idx',
        'network_event_ts_idx',
      ]);
    } finally {
      await client.end();
      await db.drop();
    }
  });

  it('is told apart from a script that is not one transaction', () => {
    expect(isAtomic('-- a comment; with a semicolon\nBEGIN;\nCREATE TABLE t (x int);\n\nCOMMIT;\n')).toBe(true);
    expect(isAtomic('CREATE TABLE t (x int);\n')).toBe(false);
    expect(isAtomic('BEGIN;\nCREATE TABLE t (x int);\nCOMMIT;\nCREATE TABLE u (x int);\n')).toBe(false);
  });
});

describe('the dictionary-sequences migration', () => {
  it('restarts each dictionary sequence after its largest key', async () => {
    const db = await createTestDatabase('torwatch_dictionary_sequences');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await applyMigrations(db.url, { upTo: '20261201003500_event_transport' });
      await client.query(`INSERT INTO action_type (name) VALUES ('ConnectionSuccess'), ('ConnectionFailed')`);
      // Keys drawn and thrown away, as every batch's ON CONFLICT DO NOTHING did.
      await client.query(
        `SELECT nextval(pg_get_serial_sequence('action_type', 'action_key')) FROM generate_series(1, 500)`,
      );
      await applyMigrations(db.url);
      const { rows } = await client.query(`SELECT nextval(pg_get_serial_sequence('action_type', 'action_key')) AS n`);
      expect(Number(rows[0].n)).toBe(3);
      const device = await client.query(`SELECT nextval(pg_get_serial_sequence('device', 'device_key')) AS n`);
      expect(Number(device.rows[0].n)).toBe(1);
    } finally {
      await client.end();
      await db.drop();
    }
  });
});
