import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import type { Actor } from '@/lib/auth/roles';
import { parseHitFilter } from '@/lib/hits/filters';
import { parseEpisodePage } from '@/lib/episodes/episodeSort';
import { maintainEpisodes } from '@/lib/episodes/maintainEpisodes';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { seedHits } from './__fixtures__/seedHits';
import { getEpisodeFilterOptions } from './getEpisodeFilterOptions';
import { listEpisodesPage } from './listEpisodesPage';
import { getEpisodeSummary } from './getEpisodeSummary';
import { listHitsPage } from './listHitsPage';
import { parseHitPage } from '@/lib/hits/sort';

useTestDatabase();
const now = new Date('2026-11-20T12:00:00Z');
const viewer: Actor = { kind: 'user', id: 'v', label: 'v@example.test', role: 'viewer' };
const filterOf = (query: string) => parseHitFilter(new URLSearchParams(query), now);

beforeAll(async () => {
  await resetDatabase();
  // 40 days of hits, ~2 a day per device and process: a gap of more than a day here and there makes many episodes.
  await seedHits(900, now, 120);
  const client = await getPool().connect();
  try {
    await client.query('BEGIN');
    await maintainEpisodes(client, { rebuild: true });
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  await getPool().query(`UPDATE hit SET status = 'suppressed' WHERE id % 9 = 0`);
});

async function episodeCount(where: string): Promise<number> {
  const { rows } = await getPool().query(
    `SELECT count(*)::int AS n FROM episode WHERE last_seen >= $1 AND first_seen < $2 AND ${where}`,
    [new Date(now.getTime() - 30 * 86_400_000), now],
  );
  return rows[0].n;
}

describe('the Episodes page read models', () => {
  it('matches free text within one column, never across two', async () => {
    // host-1's process is tor.exe: "1\ntor" would match across the join of device id and process; "dev-1" matches.
    const across = await listEpisodesPage(viewer, filterOf('q=host-1%0Ator'), parseEpisodePage(new URLSearchParams()));
    expect(across.total).toBe(0);
    const within = await listEpisodesPage(viewer, filterOf('q=dev-1'), parseEpisodePage(new URLSearchParams()));
    expect(within.total).toBe(await episodeCount("status <> 'suppressed' AND device_id = 'dev-1'"));
    expect(within.total).toBeGreaterThan(0);
  });

  it("offers the countries and processes of the range's valid hits, and the known action types", async () => {
    // A hit outside the range and a withdrawn one in it: neither offers its values.
    await getPool().query(
      `UPDATE hit SET country = 'zz', process_file_name = 'old.exe' WHERE id = (SELECT min(id) FROM hit WHERE ts < $1)`,
      [new Date(now.getTime() - 30 * 86_400_000)],
    );
    await getPool().query(
      `UPDATE hit SET country = 'yy', process_file_name = 'gone.exe', evidence_valid = false
       WHERE id = (SELECT max(id) FROM hit WHERE ts >= $1)`,
      [new Date(now.getTime() - 30 * 86_400_000)],
    );
    const options = await getEpisodeFilterOptions(viewer, filterOf('').range);
    const { rows } = await getPool().query(
      `WITH within AS (SELECT * FROM hit WHERE evidence_valid AND ts >= $1 AND ts < $2)
       SELECT ARRAY(SELECT DISTINCT coalesce(country, '-') FROM within ORDER BY 1) AS countries,
              ARRAY(SELECT process_file_name FROM within WHERE process_file_name IS NOT NULL
                    GROUP BY 1 ORDER BY count(*) DESC, 1) AS processes,
              ARRAY(SELECT name FROM action_type ORDER BY 1) AS actions`,
      [new Date(now.getTime() - 30 * 86_400_000), now],
    );
    expect(options.countries).toEqual(rows[0].countries);
    expect(options.countries).toContain('-');
    expect(options.countries).not.toContain('zz');
    expect(options.countries).not.toContain('yy');
    expect(options.countries.length).toBeGreaterThan(2);
    expect(options.processes).toEqual(rows[0].processes);
    expect(options.processes).not.toContain('old.exe');
    expect(options.processes).not.toContain('gone.exe');
    expect(options.actions).toEqual(rows[0].actions);
    expect(options.actions).toContain('ConnectionFailed');
  });

  for (const query of ['', 'process=tor.exe&range=90d', 'country=de']) {
    it(`summarises "${query || '(no filter)'}" as the Episodes and Hits pages count it`, async () => {
      const summary = await getEpisodeSummary(viewer, filterOf(query));
      const page = new URLSearchParams('size=25');
      const episodes = await listEpisodesPage(viewer, filterOf(query), parseEpisodePage(page));
      const open = await listEpisodesPage(
        viewer,
        filterOf(`${query}&status=new&status=investigating`),
        parseEpisodePage(page),
      );
      const hits = await listHitsPage(viewer, filterOf(query), parseHitPage(page));
      expect(summary).toMatchObject({ episodes: episodes.total, open: open.total, hits: hits.total });
      expect(summary.open).toBeGreaterThan(0);
      expect(summary.open).toBeLessThanOrEqual(summary.episodes);
      expect(summary.weeks.reduce((n, w) => n + w.hits, 0)).toBe(hits.total);
      expect(summary.weeks.length).toBeGreaterThan(3);
    });
  }

  const cases: Array<[string, string]> = [
    ['', "status <> 'suppressed'"],
    ['process=tor.exe', "status <> 'suppressed' AND process_key = 'tor.exe'"],
    ['status=suppressed', "status = 'suppressed'"],
    ['country=de', "status <> 'suppressed' AND country_codes && ARRAY['de']"],
    ['q=HOST-2', "status <> 'suppressed' AND (device_name ILIKE '%host-2%' OR process_file_name ILIKE '%host-2%')"],
    ['q=fox', "status <> 'suppressed' AND process_file_name ILIKE '%fox%'"],
    [
      'direction=inbound',
      `status <> 'suppressed' AND EXISTS (SELECT 1 FROM hit h WHERE h.episode_id = episode.id AND h.evidence_valid
                                           AND h.direction = 'inbound')`,
    ],
  ];
  for (const [query, where] of cases) {
    it(`counts and pages "${query || '(no filter)'}" as SQL does`, async () => {
      const expected = await episodeCount(where);
      expect(expected).toBeGreaterThan(0);
      const seen: string[] = [];
      let after: string | null = null;
      let total = -1;
      do {
        const params: URLSearchParams = new URLSearchParams(`${query}&size=25${after ? `&after=${after}` : ''}`);
        const page = await listEpisodesPage(viewer, filterOf(query), parseEpisodePage(params));
        total = page.total;
        seen.push(...page.rows.map((r) => r.id));
        after = page.nextCursor;
      } while (after);
      expect(total).toBe(expected);
      expect(new Set(seen).size).toBe(expected);
    });
  }
});
