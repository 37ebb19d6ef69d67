import Link from 'next/link';
import { requirePageRole } from '@/lib/auth/guard';
import { hasRole } from '@/lib/auth/roles';
import { parseHitFilter, type HitFilter } from '@/lib/hits/filters';
import { parseHitPage } from '@/lib/hits/sort';
import { listHitsPage } from '@/lib/queries/listHitsPage';
import { getHitDetail } from '@/lib/queries/getHitDetail';
import { getHitFilterOptions } from '@/lib/queries/getHitFilterOptions';
import {
  FilteredListPage,
  InvalidListLink,
  queryWithout,
  type SearchParams,
} from '@/components/tables/FilteredListPage';
import { HitsTable } from '@/components/tables/HitsTable';
import { HitDetailPanel } from '@/components/hits/HitDetailPanel';
import { HitTriageSection } from '@/components/triage/HitTriageSection';

export const metadata = { title: 'Hits' };

const hitsHref = (params: SearchParams, ...keys: string[]) => {
  const query = queryWithout(params, ...keys);
  return query ? `/hits?${query}` : '/hits';
};

export default async function HitsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePageRole('viewer');
  const params = await searchParams;
  let filter: HitFilter;
  let page: ReturnType<typeof parseHitPage>;
  try {
    filter = parseHitFilter(params);
    page = parseHitPage(params);
  } catch (error) {
    return <InvalidListLink title="Hits" path="/hits" message={(error as Error).message} />;
  }
  const hitId = typeof params.hit === 'string' ? params.hit : undefined;
  const [result, choices, detail] = await Promise.all([
    listHitsPage(actor, filter, page),
    getHitFilterOptions(actor, filter.range),
    hitId ? getHitDetail(actor, hitId) : Promise.resolve(null),
  ]);
  return (
    <FilteredListPage
      title="Hits"
      description="Every network event whose remote address was a Tor relay at the time."
      path="/hits"
      exportQuery={
        hasRole(actor, 'analyst') ? queryWithout(params, 'hit', 'after', 'before', 'sort', 'dir', 'size') : null
      }
      filter={filter}
      choices={choices}
      empty={result.total === 0 && !page.after && !page.before}
      emptyHint="Choose a longer time range, or upload Defender or Zeek telemetry; TorWatch matches it against relay data within minutes."
    >
      {/* The detail panel sits beside the table on wide screens and slides over it on laptops (below 1536 px). */}
      <div
        className={detail || hitId ? 'grid grid-cols-[minmax(0,1fr)] gap-4 2xl:grid-cols-[minmax(0,1fr)_28rem]' : ''}
      >
        <HitsTable
          rows={result.rows}
          total={result.total}
          sort={page.sort}
          dir={page.dir}
          nextCursor={result.nextCursor}
          prevCursor={result.prevCursor}
          tz={filter.tz}
          selectedId={hitId}
          canTriage={hasRole(actor, 'analyst')}
        />
        {detail ? (
          <div className="fixed inset-y-0 right-0 z-30 w-[28rem] max-w-full overflow-y-auto bg-slate-50 shadow-2xl 2xl:sticky 2xl:top-4 2xl:z-auto 2xl:max-h-[calc(100vh-2rem)] 2xl:w-auto 2xl:bg-transparent 2xl:shadow-none dark:bg-slate-950">
            <HitDetailPanel
              detail={detail}
              tz={filter.tz}
              closeHref={hitsHref(params, 'hit')}
              triage={<HitTriageSection actor={actor} hitId={detail.hit.id} returnTo={hitsHref(params, 'hit')} />}
            />
          </div>
        ) : hitId ? (
          <p role="alert" className="text-sm">
            Hit {hitId} does not exist (it may have been removed).{' '}
            <Link href={hitsHref(params, 'hit')} className="underline">
              Close
            </Link>
          </p>
        ) : null}
      </div>
    </FilteredListPage>
  );
}
