import { requirePageRole } from '@/lib/auth/guard';
import { hasRole } from '@/lib/auth/roles';
import { parseEpisodePage } from '@/lib/episodes/episodeSort';
import { HitFilterError, hasNarrowingFilter, parseHitFilter, type HitFilter } from '@/lib/hits/filters';
import { getEpisode } from '@/lib/queries/getEpisode';
import { getEpisodeHits } from '@/lib/queries/getEpisodeHits';
import { getHitFilterOptions } from '@/lib/queries/getHitFilterOptions';
import { listEpisodesPage } from '@/lib/queries/listEpisodesPage';
import { EmptyState } from '@/components/layout/EmptyState';
import { PageHeader } from '@/components/layout/PageHeader';
import { RangePicker } from '@/components/filters/RangePicker';
import { HitFilterBar } from '@/components/filters/HitFilterBar';
import { EpisodesTable } from '@/components/tables/EpisodesTable';
import { EpisodeDetail } from '@/components/episodes/EpisodeDetail';
import { ExportButtons } from '@/components/hits/ExportButtons';

export const metadata = { title: 'Episodes' };

type SearchParams = Record<string, string | string[] | undefined>;

function queryWithout(searchParams: SearchParams, ...keys: string[]): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams))
    if (!keys.includes(key)) for (const v of [value ?? []].flat()) params.append(key, v);
  return params.toString();
}

// Episodes: one row per device and process over a stretch of time (README "Episodes") — what an analyst decides on.
// Same filters as the hits page; a row expands (?episode=ID) to its hits and a timeline.
export default async function EpisodesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePageRole('viewer');
  const params = await searchParams;
  let filter: HitFilter;
  let page: ReturnType<typeof parseEpisodePage>;
  try {
    filter = parseHitFilter(params);
    page = parseEpisodePage(params);
  } catch (error) {
    const message = error instanceof HitFilterError || error instanceof Error ? error.message : String(error);
    return (
      <>
        <PageHeader title="Episodes" />
        <EmptyState title="This link's filter is not valid" action={{ href: '/episodes', label: 'Show all episodes' }}>
          <span role="alert">{message}</span>
        </EmptyState>
      </>
    );
  }
  const episodeId = typeof params.episode === 'string' ? params.episode : undefined;
  const [result, choices, episode, episodeHits] = await Promise.all([
    listEpisodesPage(actor, filter, page),
    getHitFilterOptions(actor, filter.range),
    episodeId ? getEpisode(actor, episodeId) : Promise.resolve(null),
    episodeId ? getEpisodeHits(actor, episodeId) : Promise.resolve(null),
  ]);
  const exportQuery = queryWithout(params, 'episode', 'after', 'before', 'sort', 'dir', 'size');
  return (
    <>
      <PageHeader
        title="Episodes"
        description="Hits grouped by device and process: a gap of more than a day starts a new episode. Triage an episode to decide on all its hits."
        actions={hasRole(actor, 'analyst') ? <ExportButtons query={exportQuery} path="/episodes/export" /> : null}
      />
      <div className="mb-4 flex flex-col gap-3">
        <RangePicker
          range={filter.range.kind}
          from={filter.range.kind === 'custom' ? filter.range.from.toISOString() : undefined}
          to={filter.range.kind === 'custom' ? filter.range.to.toISOString() : undefined}
          tz={filter.tz}
        />
        <HitFilterBar choices={choices} />
      </div>
      {result.total === 0 && !page.after && !page.before ? (
        <EmptyState
          title={hasNarrowingFilter(filter) ? 'No episodes match these filters' : 'No episodes in this period'}
          action={
            hasNarrowingFilter(filter)
              ? { href: '/episodes', label: 'Clear filters' }
              : { href: '/ingest', label: 'Upload telemetry' }
          }
        >
          {hasNarrowingFilter(filter)
            ? 'Remove a filter or choose a longer time range.'
            : 'Choose a longer time range, or upload Defender or Zeek telemetry; the match run groups its hits into episodes.'}
        </EmptyState>
      ) : (
        <EpisodesTable
          rows={result.rows}
          total={result.total}
          sort={page.sort}
          dir={page.dir}
          nextCursor={result.nextCursor}
          prevCursor={result.prevCursor}
          tz={filter.tz}
          expandedId={episodeId}
          expanded={
            episode && episodeHits ? (
              <EpisodeDetail episode={episode} hits={episodeHits.hits} totalHits={episodeHits.total} tz={filter.tz} />
            ) : null
          }
          canTriage={hasRole(actor, 'analyst')}
        />
      )}
    </>
  );
}
