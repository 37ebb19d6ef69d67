import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_OPERATOR } from '@/lib/auth/localOperator';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { parseHitFilter } from '@/lib/hits/filters';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { seedHits } from './__fixtures__/seedHits';
import { exportHitRecords, exportHits } from './exportHits';
import { HIT_COLUMNS, type HitRecord } from './hitColumns';

useTestDatabase();
const now = new Date('2026-11-20T12:00:00Z');
const viewer: Actor = { kind: 'user', id: 'v', label: 'v@example.test', role: 'viewer' };
const analyst: Actor = { ...viewer, role: 'analyst' };
const readToken: Actor = { kind: 'token', id: 't', label: 'siem', role: null, scope: 'read' };
const ingestToken: Actor = { ...readToken, scope: 'ingest' };
const filterOf = (query: string) => parseHitFilter(new URLSearchParams(query), now);

async function exported(actor: Actor, ...args: [Parameters<typeof exportHits>[1], 'csv' | 'json']) {
  const chunks: string[] = [];
  const count = await exportHits(actor, ...args, async (chunk) => void chunks.push(chunk));
  return { count, text: chunks.join('') };
}

beforeAll(async () => {
  await resetDatabase();
  await seedHits(300, now, 40);
  await getPool().query(`UPDATE hit SET evidence_valid = false WHERE id % 50 = 0`);
  await getPool().query(`UPDATE hit SET status = 'suppressed' WHERE id % 7 = 0 AND evidence_valid`);
});

describe('exportHits', () => {
  it('exports exactly the filtered hits of the explorer, suppressed hidden unless asked for', async () => {
    const { count, text } = await exported(analyst, { filter: filterOf('country=de&confidence=high') }, 'csv');
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    const { rows: want } = await getPool().query(
      `SELECT id::text FROM hit WHERE evidence_valid AND status <> 'suppressed' AND country = 'de'
         AND confidence = 'high' AND ts >= $1 AND ts < $2 ORDER BY ts, device_id, remote_ip, id`,
      [new Date(now.getTime() - 30 * 86_400_000), now],
    );
    expect(count).toBe(want.length);
    expect(rows.map((r) => r.HitId)).toEqual(want.map((r) => r.id));
    expect(Object.keys(rows[0])).toEqual([...HIT_COLUMNS]);
  });

  it('exports every valid hit of a time range as machine output, suppressed included, ordered, with HitId', async () => {
    const from = new Date(now.getTime() - 10 * 86_400_000);
    const { count, text } = await exported(LOCAL_OPERATOR, { from }, 'json');
    const rows = JSON.parse(text) as HitRecord[];
    const { rows: want } = await getPool().query(
      `SELECT id::text, status FROM hit WHERE evidence_valid AND ts >= $1 ORDER BY ts, device_id, remote_ip, id`,
      [from],
    );
    expect(count).toBe(want.length);
    expect(rows.map((r) => r.HitId)).toEqual(want.map((r) => r.id));
    expect(rows.some((r) => r.Status === 'suppressed')).toBe(true);
    expect(Object.keys(rows[0])).toEqual([...HIT_COLUMNS]);
    expect(rows[0].Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('hands the same rows over as records', async () => {
    const records: HitRecord[] = [];
    const count = await exportHitRecords(readToken, {}, (rows) => void records.push(...(rows as HitRecord[])), 7);
    expect(records).toHaveLength(count);
    expect(count).toBe(Number((await getPool().query(`SELECT count(*) FROM hit WHERE evidence_valid`)).rows[0].count));
  });

  it('is for analysts, admins and read tokens only, refused before anything is written', async () => {
    for (const actor of [viewer, ingestToken]) {
      const chunks: string[] = [];
      await expect(exportHits(actor, {}, 'csv', async (c) => void chunks.push(c))).rejects.toThrow(/analyst/);
      expect(chunks).toEqual([]);
    }
    expect((await exported(readToken, { to: now }, 'csv')).count).toBeGreaterThan(0);
  });
});
