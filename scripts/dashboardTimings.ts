// The dashboard's timed query set, shared by bench:dashboard and bench:history: 20 typical filter combinations of the
// hits page, its filter options, the Episodes page, the Overview (its queries in parallel, as the page runs them) and
// the Trends page, each round timed per query. Run with the react-server condition (`server-only` read models).
import type { Actor } from '../lib/auth/roles';
import { parseHitFilter } from '../lib/hits/filters';
import { parseHitPage } from '../lib/hits/sort';
import { bucketFor } from '../lib/time/ranges';
import { listHitsPage } from '../lib/queries/listHitsPage';
import { getOverviewHeadline } from '../lib/queries/getOverviewHeadline';
import { getHitTrend } from '../lib/queries/getHitTrend';
import { getHitBreakdowns } from '../lib/queries/getHitBreakdown';
import { getDataFreshness } from '../lib/queries/getDataFreshness';
import { getHitFilterOptions } from '../lib/queries/getHitFilterOptions';
import { loadTrends } from '../lib/kpis/loadTrends';
import { parseKpiParams } from '../lib/kpis/kpiParams';
import { EPISODE_SORT_KEYS, parseEpisodePage } from '../lib/episodes/episodeSort';
import { listEpisodesPage } from '../lib/queries/listEpisodesPage';
import { getEpisodeSummary } from '../lib/queries/getEpisodeSummary';
import { getEpisodeFilterOptions } from '../lib/queries/getEpisodeFilterOptions';

export const BENCH_ACTOR: Actor = { kind: 'user', id: 'bench', label: 'bench', role: 'analyst' };

export const COMBINATIONS = [
  '',
  'range=24h',
  'range=7d',
  'range=90d',
  'country=de',
  'country=de&country=nl',
  'process=tor.exe',
  'confidence=high',
  'status=new',
  'direction=outbound&port=true',
  'exit=true',
  'q=wks-01',
  'q=185.0.1',
  'device=dev-42',
  'action=ConnectionSuccess&confidence=high',
  'range=90d&status=new&status=investigating',
  'range=7d&country=us&process=firefox.exe',
  'sort=process&dir=asc',
  'range=90d&sort=country&dir=desc',
  'from=2026-10-01T00:00:00Z&to=2026-10-04T00:00:00Z',
];

const TRENDS: Array<Record<string, string>> = [
  { period: '30d', bucket: 'week', months: '12' },
  { period: '7d', bucket: 'week', months: '12', zone: 'Europe/Berlin' },
  { period: '90d', bucket: 'month', months: '12' },
  { period: '30d', bucket: 'month', months: '12', zone: 'America/New_York' },
];

export const HITS_PAGE = 'hits page total (page + options)';
export const OVERVIEW_PAGE = 'overview page (all queries, parallel)';

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

export async function time<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await work();
  return [performance.now() - start, result];
}

/**
 * Times every combination `repeat` times (after one warm-up round that is not recorded) against the database of
 * DATABASE_URL, as of `now`. Returns the samples (ms) per query name, in the order first recorded.
 */
export async function timeDashboard(now: Date, repeat: number, actor = BENCH_ACTOR): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>();
  const record = (name: string, ms: number) => samples.set(name, [...(samples.get(name) ?? []), ms]);
  for (let round = -1; round < repeat; round++) {
    // round -1 warms the caches and is not recorded
    for (const combination of COMBINATIONS) {
      const params = new URLSearchParams(combination);
      const filter = parseHitFilter(params, now);
      const page = parseHitPage(params);
      const [hitsMs, first] = await time(() => listHitsPage(actor, filter, page));
      const [optionsMs] = await time(() => getHitFilterOptions(actor, filter.range));
      // The Episodes page reads the same filter; a sort it does not offer (country, …) falls back to its default.
      const episodeParams = new URLSearchParams(params);
      if (!(String(episodeParams.get('sort')) in EPISODE_SORT_KEYS)) episodeParams.delete('sort');
      const [episodesMs, episodePage] = await time(() =>
        listEpisodesPage(actor, filter, parseEpisodePage(episodeParams)),
      );
      const [episodeOptionsMs] = await time(() => getEpisodeFilterOptions(actor, filter.range));
      const next = first.nextCursor
        ? await time(() =>
            listHitsPage(actor, filter, {
              ...page,
              after: parseHitPage(new URLSearchParams({ after: first.nextCursor! })).after,
            }),
          )
        : null;
      const bucket = bucketFor(filter.range);
      const timed = <T>(name: string, work: () => Promise<T>) => time(work).then(([ms]) => [name, ms] as const);
      const [overviewMs, parts] = await time(() =>
        Promise.all([
          timed('overview: headline', () => getOverviewHeadline(actor, filter)),
          timed('overview: trend', () => getHitTrend(actor, filter, bucket)),
          timed('overview: freshness', () => getDataFreshness(actor)),
          timed('overview: episodes', () => getEpisodeSummary(actor, filter)),
          timed('overview: breakdowns (5 dimensions)', () =>
            getHitBreakdowns(actor, filter, ['country', 'process', 'device', 'action', 'direction']),
          ),
        ]),
      );
      // The Trends page: KPI report (period, previous, 12 months of buckets) and the map's country counts.
      const trendsQuery = TRENDS[COMBINATIONS.indexOf(combination) % TRENDS.length];
      const [trendsMs] = await time(() => loadTrends(actor, parseKpiParams(trendsQuery, now)));
      if (round < 0) continue;
      record('trends page (12 months, all queries)', trendsMs);
      record('hits page (rows + count)', hitsMs);
      if (next) record('hits page 2 (keyset)', next[0]);
      record('hits filter options', optionsMs);
      record(HITS_PAGE, hitsMs + optionsMs);
      record('episodes page (rows + count)', episodesMs);
      record('episodes filter options', episodeOptionsMs);
      record('episodes page total (page + options)', episodesMs + episodeOptionsMs);
      if (!episodePage.rows.length && combination === '') throw new Error('no episodes: the maintenance built none');
      record(OVERVIEW_PAGE, overviewMs);
      for (const [name, ms] of parts) record(name, ms);
    }
  }
  return samples;
}

/** The p50/p95/max table bench:dashboard prints. */
export function printDashboardTable(samples: Map<string, number[]>, repeat: number): void {
  console.log(`\n${COMBINATIONS.length} filter combinations × ${repeat} runs each (after one warm-up round)\n`);
  console.log(`${'query'.padEnd(40)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
  for (const [name, values] of samples) {
    console.log(
      `${name.padEnd(40)} ${percentile(values, 50).toFixed(1).padStart(8)} ${percentile(values, 95).toFixed(1).padStart(8)} ${Math.max(
        ...values,
      )
        .toFixed(1)
        .padStart(8)}`,
    );
  }
}
