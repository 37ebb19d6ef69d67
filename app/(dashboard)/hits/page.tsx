import Link from 'next/link';
import { requirePageRole } from '@/lib/auth/guard';
import { hasRole } from '@/lib/auth/roles';
import { HitFilterError, hasNarrowingFilter, parseHitFilter, type HitFilter } from '@/lib/hits/filters';
import { parseHitPage } from '@/lib/hits/sort';
import { listHitsPage } from '@/lib/queries/listHitsPage';
import { getHitDetail } from '@/lib/queries/getHitDetail';
import { getHitFilterOptions } from '@/lib/queries/getHitFilterOptions';
import { EmptyState } from '@/components/layout/EmptyState';
import { PageHeader } from '@/components/layout/PageHeader';
import { RangePicker } from '@/components/filters/RangePicker';
import { HitFilterBar } from '@/components/filters/HitFilterBar';
import { HitsTable } from '@/components/tables/HitsTable';
import { HitDetailPanel } from '@/components/hits/HitDetailPanel';
import { ExportButtons } from '@/components/hits/ExportButtons';
import { HitTriageSection } from '@/components/triage/HitTriageSection';

export const metadata = { title: 'Hits' };

type SearchParams = Record<string, string | string[] | undefined>;

function withoutKeys(searchParams: SearchParams, ...keys: string[]): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams))
    if (!keys.includes(key)) for (const v of [value ?? []].flat()) params.append(key, v);
  const query = params.toString();
  return query ? `/hits?${query}` : '/hits';
}

export default async function HitsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePageRole('viewer');
  const params = await searchParams;
  let filter: HitFilter;
  let page: ReturnType<typeof parseHitPage>;
  try {
    filter = parseHitFilter(params);
    page = parseHitPage(params);
  } catch (error) {
    const message = error instanceof HitFilterError || error instanceof Error ? error.message : String(error);
    return (
      <>
        <PageHeader title="Hits" />
        <EmptyState title="This link's filter is not valid" action={{ href: '/hits', label: 'Show all hits' }}>
          <span role="alert">{message}</span>
        </EmptyState>
      </>
    );
  }
  const hitId = typeof params.hit === 'string' ? params.hit : undefined;
  const [result, choices, detail] = await Promise.all([
    listHitsPage(actor, filter, page),
    getHitFilterOptions(actor, filter.range),
    hitId ? getHitDetail(actor, hitId) : Promise.resolve(null),
  ]);
  const exportQuery = withoutKeys(params, 'hit', 'after', 'before', 'sort', 'dir', 'size').replace(/^\/hits\??/, '');
  return (
    <>
      <PageHeader
        title="Hits"
        description="Every network event whose remote address was a Tor relay at the time."
        actions={hasRole(actor, 'analyst') ? <ExportButtons query={exportQuery} /> : null}
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
      {/* The detail panel sits beside the table on wide screens and slides over it on laptops (below 1536 px). */}
      <div
        className={detail || hitId ? 'grid grid-cols-[minmax(0,1fr)] gap-4 2xl:grid-cols-[minmax(0,1fr)_28rem]' : ''}
      >
        {result.total === 0 && !page.after && !page.before ? (
          <EmptyState
            title={hasNarrowingFilter(filter) ? 'No hits match these filters' : 'No hits in this period'}
            action={
              hasNarrowingFilter(filter)
                ? { href: '/hits', label: 'Clear filters' }
                : { href: '/ingest', label: 'Upload telemetry' }
            }
          >
            {hasNarrowingFilter(filter)
              ? 'Remove a filter or choose a longer time range.'
              : 'Choose a longer time range, or upload Defender or Zeek telemetry; TorWatch matches it against relay data within minutes.'}
          </EmptyState>
        ) : (
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
        )}
        {detail ? (
          <div className="fixed inset-y-0 right-0 z-30 w-[28rem] max-w-full overflow-y-auto bg-slate-50 shadow-2xl 2xl:sticky 2xl:top-4 2xl:z-auto 2xl:max-h-[calc(100vh-2rem)] 2xl:w-auto 2xl:bg-transparent 2xl:shadow-none dark:bg-slate-950">
            <HitDetailPanel
              detail={detail}
              tz={filter.tz}
              closeHref={withoutKeys(params, 'hit')}
              triage={<HitTriageSection actor={actor} hitId={detail.hit.id} returnTo={withoutKeys(params, 'hit')} />}
            />
          </div>
        ) : hitId ? (
          <p role="alert" className="text-sm">
            Hit {hitId} does not exist (it may have been removed).{' '}
            <Link href={withoutKeys(params, 'hit')} className="underline">
              Close
            </Link>
          </p>
        ) : null}
      </div>
    </>
  );
}
