import { requirePageRole } from '@/lib/auth/guard';
import { hasRole } from '@/lib/auth/roles';
import { parseEpisodePage } from '@/lib/episodes/episodeSort';
import { parseHitFilter, type HitFilter } from '@/lib/hits/filters';
import { getEpisode } from '@/lib/queries/getEpisode';
import { getEpisodeHits } from '@/lib/queries/getEpisodeHits';
import { getEpisodeFilterOptions } from '@/lib/queries/getEpisodeFilterOptions';
import { listEpisodesPage } from '@/lib/queries/listEpisodesPage';
import {
  FilteredListPage,
  InvalidListLink,
  queryWithout,
  type SearchParams,
} from '@/components/tables/FilteredListPage';
import { EpisodesTable } from '@/components/tables/EpisodesTable';
import { EpisodeDetail } from '@/components/episodes/EpisodeDetail';

export const metadata = { title: 'Episodes' };

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
    return <InvalidListLink title="Episodes" path="/episodes" message={(error as Error).message} />;
  }
  const episodeId = typeof params.episode === 'string' ? params.episode : undefined;
  const [result, choices, episode, episodeHits] = await Promise.all([
    listEpisodesPage(actor, filter, page),
    getEpisodeFilterOptions(actor, filter.range),
    episodeId ? getEpisode(actor, episodeId) : Promise.resolve(null),
    episodeId ? getEpisodeHits(actor, episodeId) : Promise.resolve(null),
  ]);
  return (
    <FilteredListPage
      title="Episodes"
      description="Hits grouped by device and process: a gap of more than a day starts a new episode. Triage an episode to decide on all its hits."
      path="/episodes"
      exportQuery={
        hasRole(actor, 'analyst') ? queryWithout(params, 'episode', 'after', 'before', 'sort', 'dir', 'size') : null
      }
      filter={filter}
      choices={choices}
      empty={result.total === 0 && !page.after && !page.before}
      emptyHint="Choose a longer time range, or upload Defender or Zeek telemetry; the match run groups its hits into episodes."
    >
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
    </FilteredListPage>
  );
}
