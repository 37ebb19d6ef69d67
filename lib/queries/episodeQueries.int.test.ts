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
  it('offers the countries and processes of the episodes in the range, and the known action types', async () => {
    const options = await getEpisodeFilterOptions(viewer, filterOf('').range);
    const { rows } = await getPool().query(
      `SELECT
         ARRAY(SELECT DISTINCT c FROM episode, unnest(country_codes) c WHERE last_seen >= $1 AND first_seen < $2 ORDER BY 1) AS countries,
         EXISTS (SELECT 1 FROM episode WHERE last_seen >= $1 AND first_seen < $2 AND cardinality(country_codes) = 0) AS none,
         ARRAY(SELECT DISTINCT process_file_name FROM episode WHERE last_seen >= $1 AND first_seen < $2
               AND process_file_name IS NOT NULL ORDER BY 1) AS processes,
         ARRAY(SELECT name FROM action_type ORDER BY 1) AS actions`,
      [new Date(now.getTime() - 30 * 86_400_000), now],
    );
    expect(options.countries).toEqual([...(rows[0].none ? ['-'] : []), ...rows[0].countries].sort());
    expect(options.countries.length).toBeGreaterThan(2);
    expect([...options.processes].sort()).toEqual(rows[0].processes);
    expect(options.actions).toEqual(rows[0].actions);
    expect(options.actions).toContain('ConnectionFailed');
  });

  it('lists the most frequent process first', async () => {
    const options = await getEpisodeFilterOptions(viewer, filterOf('range=90d').range);
    const { rows } = await getPool().query(
      `SELECT process_file_name FROM episode WHERE last_seen >= $1 AND process_file_name IS NOT NULL
       GROUP BY 1 ORDER BY sum(hit_count) DESC, 1`,
      [new Date(now.getTime() - 90 * 86_400_000)],
    );
    expect(options.processes).toEqual(rows.map((r) => r.process_file_name));
  });

  const cases: Array<[string, string]> = [
    ['', "status <> 'suppressed'"],
    ['process=tor.exe', "status <> 'suppressed' AND process_key = 'tor.exe'"],
    ['status=suppressed', "status = 'suppressed'"],
    ['country=de', "status <> 'suppressed' AND country_codes && ARRAY['de']"],
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
