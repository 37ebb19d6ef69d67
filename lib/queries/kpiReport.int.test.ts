import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import type { Actor } from '@/lib/auth/roles';
import { parseHitFilter } from '@/lib/hits/filters';
import { processGroup } from '@/lib/kpis/processGroups';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { seedHits } from './__fixtures__/seedHits';
import { getKpiReport } from './getKpiReport';
import { getHitTrend } from './getHitTrend';
import { maintainEpisodes } from '@/lib/episodes/maintainEpisodes';

useTestDatabase();
const now = new Date('2026-11-20T12:00:00Z');
const viewer: Actor = { kind: 'user', id: 'v', label: 'v@example.test', role: 'viewer' };
const ingestToken: Actor = { kind: 'token', id: 't', label: 'ingest bot', role: null, scope: 'ingest' };
const filterOf = (query: string) => parseHitFilter(new URLSearchParams(query), now);
const rows = async (sql: string, values: unknown[] = []) => (await getPool().query(sql, values)).rows;

beforeAll(async () => {
  await resetDatabase();
  await seedHits(1200, now, 200);
  // Varied processes, triage times, and two devices whose first hit lies in the last 7 days.
  await getPool().query(
    `UPDATE hit SET process_folder_path = 'C:\\Users\\a\\Desktop\\Tor Browser\\Browser' WHERE id % 5 = 0`,
  );
  await getPool().query(`UPDATE hit SET process_file_name = 'chrome.exe' WHERE id % 5 = 1`);
  await getPool().query(
    `UPDATE hit SET triaged_at = first_matched_at + make_interval(hours => (id % 10)::int) WHERE status IN ('benign', 'true_positive')`,
  );
  await getPool().query(`UPDATE hit SET device_id = 'fresh-' || (id % 2) WHERE ts >= $1 AND id % 13 = 0`, [
    new Date(now.getTime() - 5 * 86_400_000),
  ]);
  // An episode that begins before the 7-day period and runs into it.
  const sevenDaysAgo = now.getTime() - 7 * 86_400_000;
  for (const [id, hours] of [
    [1, -3],
    [2, 3],
  ])
    await getPool().query(
      `UPDATE hit SET ts = $1, device_id = 'spanning', process_file_name = 'tor.exe', status = 'new' WHERE id = $2`,
      [new Date(sevenDaysAgo + hours * 3_600_000), id],
    );
  // Some suppressed hits: a device whose hits are all suppressed forms suppressed episodes, which are not counted.
  await getPool().query(
    `UPDATE hit SET status = 'suppressed' WHERE device_id = 'dev-3' OR (id % 17 = 0 AND device_id NOT LIKE 'fresh-%')`,
  );
  const client = await getPool().connect();
  try {
    await client.query('BEGIN'); // as the match run calls it: its temp tables live until the commit
    await maintainEpisodes(client);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
});

/**
 * Episodes segmented here from the hits themselves (README "Episodes": one device and process, case-insensitive, a
 * gap of more than 24 h starts a new one), then counted for [from, to) as the KPIs define them — independent of the
 * episode table the read model counts.
 */
async function expectedEpisodes(from: Date, to: Date) {
  const hits = await rows(
    `SELECT device_id, lower(coalesce(process_file_name, '')) AS process, ts, status FROM hit WHERE evidence_valid
     ORDER BY device_id, 2, ts`,
  );
  const episodes: Array<{ first: Date; last: Date; statuses: string[] }> = [];
  let key = '';
  for (const h of hits) {
    const k = `${h.device_id}\u0000${h.process}`;
    const current = episodes.at(-1);
    if (k === key && current && h.ts.getTime() - current.last.getTime() <= 24 * 3_600_000) {
      current.last = h.ts;
      current.statuses.push(h.status);
    } else episodes.push({ first: h.ts, last: h.ts, statuses: [h.status] });
    key = k;
  }
  const active = episodes.filter((e) => e.last >= from && e.first < to && e.statuses.some((s) => s !== 'suppressed'));
  return {
    episodes: active.length,
    newEpisodes: active.filter((e) => e.first >= from).length,
    openEpisodes: active.filter((e) => e.statuses.some((s) => s === 'new' || s === 'investigating')).length,
  };
}

/** The figures for [from, to), straight from SQL with the JS process classifier — an independent computation. */
async function expected(from: Date, to: Date) {
  const hits = await rows(
    `SELECT device_id, confidence, is_exit, status, process_file_name, process_folder_path,
       extract(epoch FROM triaged_at - first_matched_at)::float8 AS secs,
       (SELECT min(ts) FROM hit h2 WHERE h2.device_id = hit.device_id AND h2.evidence_valid AND h2.status <> 'suppressed') AS first_ts
     FROM hit WHERE evidence_valid AND status <> 'suppressed' AND ts >= $1 AND ts < $2`,
    [from, to],
  );
  const triaged = hits.filter((h) => h.status === 'true_positive' || h.status === 'benign');
  const groups = hits.map((h) => processGroup(h.process_file_name, h.process_folder_path));
  const r1 = (v: number) => Math.round(v * 10) / 10;
  return {
    ...(await expectedEpisodes(from, to)),
    devices: new Set(hits.map((h) => h.device_id)).size,
    newDevices: new Set(hits.filter((h) => h.first_ts >= from).map((h) => h.device_id)).size,
    hits: hits.length,
    hitsHigh: hits.filter((h) => h.confidence === 'high').length,
    hitsMedium: hits.filter((h) => h.confidence === 'medium').length,
    hitsLow: hits.filter((h) => h.confidence === 'low').length,
    exitShare: hits.length ? r1((hits.filter((h) => h.is_exit).length / hits.length) * 100) : null,
    procTorBrowser: groups.filter((g) => g === 'torBrowser').length,
    procTorDaemon: groups.filter((g) => g === 'torDaemon').length,
    procOtherBrowser: groups.filter((g) => g === 'otherBrowser').length,
    procOther: groups.filter((g) => g === 'other').length,
    open: hits.filter((h) => h.status === 'new' || h.status === 'investigating').length,
    triaged: triaged.length,
    meanTimeToTriageHours: triaged.length
      ? r1(triaged.reduce((s, h) => s + Math.max(0, h.secs), 0) / triaged.length / 3600)
      : null,
    truePositiveRate: triaged.length
      ? r1((triaged.filter((h) => h.status === 'true_positive').length / triaged.length) * 100)
      : null,
  };
}

const values = (report: Awaited<ReturnType<typeof getKpiReport>>, which: 'current' | 'previous') =>
  Object.fromEntries(Object.values(report.kpis).map((k) => [k.key, k[which]]));

describe('getKpiReport', () => {
  it('computes every KPI for the period and the previous one as an independent computation does', async () => {
    const filter = filterOf('range=7d');
    const report = await getKpiReport(viewer, { filter, bucket: 'week', months: 3, zone: 'UTC' });
    const mine = await expected(filter.range.from, filter.range.to);
    expect(values(report, 'current')).toEqual(mine);
    expect(values(report, 'previous')).toEqual(
      await expected(new Date(filter.range.from.getTime() - 7 * 86_400_000), filter.range.from),
    );
    expect(mine.hits).toBeGreaterThan(0);
    expect(mine.newDevices).toBe(2);
    expect(mine.newEpisodes).toBeGreaterThan(0);
    expect(mine.openEpisodes).toBeGreaterThan(0);
    expect(mine.episodes).toBeGreaterThan(mine.newEpisodes); // some began before the period
    for (const g of ['procTorBrowser', 'procTorDaemon', 'procOtherBrowser', 'procOther'] as const)
      expect(mine[g]).toBeGreaterThan(0);
  });

  it('cuts buckets in the asked zone: monthly in Europe/Berlin start at local midnight of the 1st', async () => {
    const filter = filterOf('range=30d');
    const report = await getKpiReport(viewer, { filter, bucket: 'month', months: 6, zone: 'Europe/Berlin' });
    expect(report.buckets[0]).toBe('2026-04-30T22:00:00.000Z'); // 1 May 00:00 CEST
    expect(report.buckets.at(-1)).toBe('2026-10-31T23:00:00.000Z'); // 1 Nov 00:00 CET
    expect(report.buckets).toHaveLength(7);
    // Each bucket equals an independent count over the same local-month boundaries.
    for (let i = 0; i < report.buckets.length; i++) {
      const from = new Date(report.buckets[i]);
      const to = i + 1 < report.buckets.length ? new Date(report.buckets[i + 1]) : now;
      const mine = await expected(from, to);
      // Every figure, distinct and new devices included (they come from another query than the hit counts).
      const series = Object.fromEntries(Object.values(report.kpis).map((k) => [k.key, k.series[i]]));
      expect(series, `bucket ${i}`).toEqual(mine);
    }
    const utc = await getKpiReport(viewer, { filter, bucket: 'week', months: 3, zone: 'UTC' });
    expect(new Date(utc.buckets[1]).getUTCDay()).toBe(1); // weeks start on Monday 00:00 UTC
    expect(utc.buckets[1].endsWith('T00:00:00.000Z')).toBe(true);
    const tokyo = await getKpiReport(viewer, { filter, bucket: 'week', months: 3, zone: 'Asia/Tokyo' });
    expect(tokyo.buckets[1].endsWith('T15:00:00.000Z')).toBe(true); // Monday 00:00 JST = Sunday 15:00 UTC
  });

  it("the Overview trend cuts its days in the viewer's zone, not UTC", async () => {
    const filter = filterOf('range=30d');
    const utc = await getHitTrend(viewer, filter, 'day');
    const tokyo = await getHitTrend(viewer, filter, 'day', 'Asia/Tokyo');
    expect(utc.points[1].bucket.endsWith('T00:00:00.000Z')).toBe(true);
    expect(tokyo.zone).toBe('Asia/Tokyo');
    expect(tokyo.points[1].bucket.endsWith('T15:00:00.000Z')).toBe(true); // 00:00 JST
    const total = (t: typeof utc) => t.points.reduce((sum, p) => sum + p.hits, 0);
    expect(total(tokyo)).toBe(total(utc)); // every hit of the range in exactly one bucket either way
    for (const p of tokyo.points.slice(1, -1)) {
      const from = new Date(p.bucket);
      expect(p.hits).toBe((await expected(from, new Date(from.getTime() + 86_400_000))).hits);
    }
  });

  it('needs a viewer or a read token', async () => {
    const filter = filterOf('range=7d');
    await expect(getKpiReport(ingestToken, { filter, bucket: 'week', months: 3, zone: 'UTC' })).rejects.toThrow(
      /viewer/,
    );
  });
});
