import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import type { Actor } from '@/lib/auth/roles';
import { parseHitFilter } from '@/lib/hits/filters';
import { hitFilterSql } from '@/lib/hits/hitFilterSql';
import { parseHitPage } from '@/lib/hits/sort';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { seedHits } from './__fixtures__/seedHits';
import { listHitsPage } from './listHitsPage';
import { getHitDetail } from './getHitDetail';

useTestDatabase();
const now = new Date('2026-11-20T12:00:00Z');
const viewer: Actor = { kind: 'user', id: 'v', label: 'v@example.test', role: 'viewer' };
const analyst: Actor = { ...viewer, role: 'analyst' };
const filterOf = (query: string) => parseHitFilter(new URLSearchParams(query), now);

async function sqlCount(where: string, values: unknown[] = []): Promise<number> {
  const { rows } = await getPool().query(
    `SELECT count(*)::int AS n FROM hit WHERE evidence_valid AND ts >= $1 AND ts < $2 AND ${where}`,
    [new Date(now.getTime() - 30 * 86_400_000), now, ...values],
  );
  return rows[0].n;
}

beforeAll(async () => {
  await resetDatabase();
  await seedHits(600, now, 40);
  await getPool().query(`UPDATE hit SET evidence_valid = false WHERE id % 50 = 0`);
});

describe('the hits filter against real PostgreSQL', () => {
  const cases: Array<[string, string, unknown[]]> = [
    ['', 'true', []],
    ['country=de&country=fr', "country IN ('de','fr')", []],
    ['country=-', 'country IS NULL', []],
    ['process=tor.exe', "process_file_name = 'tor.exe'", []],
    ['device=dev-3', "device_id = 'dev-3'", []],
    ['action=ConnectionFailed', "action_type = 'ConnectionFailed'", []],
    ['direction=inbound', "direction = 'inbound'", []],
    ['confidence=high&confidence=low', "confidence IN ('high','low')", []],
    ['status=benign', "status = 'benign'", []],
    ['port=true', 'port_match', []],
    ['exit=false', 'NOT is_exit', []],
    ['q=HOST-2', "device_name = 'host-2'", []],
    ['q=198.51.100.10', "host(remote_ip) = '198.51.100.10'", []],
    ['q=firefox', "process_file_name = 'firefox.exe'", []],
    ['relay=' + 'F2'.padEnd(40, '0'), "relay_fingerprints[1] = 'F2" + '0'.repeat(38) + "'", []],
    ['range=7d&process=curl', "process_file_name = 'curl' AND ts >= $2::timestamptz - interval '7 days'", []],
  ];
  for (const [query, where, values] of cases) {
    it(`narrows "${query || '(no filter)'}" as SQL counts`, async () => {
      const expected = await sqlCount(where, values);
      const page = await listHitsPage(viewer, filterOf(query), parseHitPage(new URLSearchParams('size=25')));
      expect(page.total).toBe(expected);
      if (query) expect(expected).toBeLessThan(await sqlCount('true'));
      expect(expected).toBeGreaterThan(0);
    });
  }

  it('keeps free-text wildcards literal', async () => {
    const page = await listHitsPage(viewer, filterOf('q=%25'), parseHitPage(new URLSearchParams()));
    expect(page.total).toBe(0);
  });
});

describe('keyset pagination', () => {
  for (const sort of ['ts', 'device', 'process', 'country', 'confidence', 'remotePort', 'remoteIp', 'status']) {
    for (const dir of ['asc', 'desc']) {
      it(`walks every hit exactly once sorted by ${sort} ${dir}, and back`, async () => {
        const filter = filterOf('');
        const seen: string[] = [];
        const pages: string[][] = [];
        let params = new URLSearchParams(`sort=${sort}&dir=${dir}&size=25`);
        for (;;) {
          const page = await listHitsPage(viewer, filter, parseHitPage(params));
          pages.push(page.rows.map((r) => r.id));
          seen.push(...page.rows.map((r) => r.id));
          if (!page.nextCursor) break;
          params = new URLSearchParams(`sort=${sort}&dir=${dir}&size=25&after=${page.nextCursor}`);
        }
        const { rows } = await getPool().query(
          `SELECT id::text FROM hit WHERE ${hitFilterSql(filter).text}`,
          hitFilterSql(filter).values as unknown[],
        );
        expect(seen).toHaveLength(rows.length);
        expect(new Set(seen)).toEqual(new Set(rows.map((r) => r.id)));
        // Walk back from the last page with `before` cursors: the same pages in reverse.
        let last = await listHitsPage(viewer, filter, parseHitPage(params));
        for (let i = pages.length - 2; i >= 0; i--) {
          expect(last.prevCursor).not.toBeNull();
          last = await listHitsPage(
            viewer,
            filter,
            parseHitPage(new URLSearchParams(`sort=${sort}&dir=${dir}&size=25&before=${last.prevCursor}`)),
          );
          expect(last.rows.map((r) => r.id)).toEqual(pages[i]);
        }
        expect(last.prevCursor).toBeNull();
      });
    }
  }

  it('sorts newest first by default with ids breaking ties', async () => {
    const page = await listHitsPage(viewer, filterOf(''), parseHitPage(new URLSearchParams('size=100')));
    const keys = page.rows.map((r) => [r.ts, BigInt(r.id)] as const);
    for (let i = 1; i < keys.length; i++) {
      expect(keys[i - 1][0] > keys[i][0] || (keys[i - 1][0] === keys[i][0] && keys[i - 1][1] > keys[i][1])).toBe(true);
    }
    expect(page.rows[0].ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  });

  it('refuses a forged cursor and an unknown sort with the field named', () => {
    expect(() => parseHitPage(new URLSearchParams('after=bm9wZQ'))).toThrow(/^after: not a page cursor/);
    expect(() => parseHitPage(new URLSearchParams('sort=password'))).toThrow(/^sort: one of/);
  });
});

describe('hit detail and export', () => {
  it('shows command lines to analysts only', async () => {
    const [{ id }] = (await getPool().query(`SELECT id::text FROM hit WHERE evidence_valid ORDER BY id LIMIT 1`)).rows;
    expect((await getHitDetail(analyst, id))?.event?.processCommandLine).toMatch(/^tor\.exe --secret/);
    // The event behind the hit, found by (remote_ip, ts, id) in its month partition, its strings from the dictionaries.
    expect((await getHitDetail(analyst, id))?.event).toMatchObject({
      reportId: expect.stringMatching(/^r\d+$/),
      source: 'defender',
      batchId: 1,
      ingestedAt: expect.stringMatching(/^\d{4}-/),
    });
    const forViewer = await getHitDetail(viewer, id);
    expect(forViewer?.hit.id).toBe(id);
    expect(forViewer?.event?.processCommandLine).toBeNull();
    expect(await getHitDetail(viewer, '999999')).toBeNull();
    expect(await getHitDetail(viewer, 'x; drop')).toBeNull();
  });
});
