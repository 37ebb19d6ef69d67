import Link from 'next/link';
import type { EpisodeSummary } from '@/lib/queries/getEpisodeSummary';

/** Overview card: open episodes, and episodes per week next to hits per week (bars scaled to each series' peak). */
export function EpisodeSummaryCard({ summary, query }: { summary: EpisodeSummary; query: string }) {
  const peakEpisodes = Math.max(1, ...summary.weeks.map((w) => w.episodes));
  const peakHits = Math.max(1, ...summary.weeks.map((w) => w.hits));
  const link = (extra: string) => `/episodes?${[query, extra].filter(Boolean).join('&')}`;
  return (
    <section
      aria-label="Episodes"
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h3 className="mb-2 font-medium">Episodes</h3>
      <p className="mb-3 flex flex-wrap gap-x-6 gap-y-1 text-sm">
        <Link href={link('status=new&status=investigating')} className="hover:underline">
          <strong data-testid="open-episodes" className="text-lg tabular-nums">
            {summary.open.toLocaleString('en')}
          </strong>{' '}
          open episodes
        </Link>
        <Link href={link('')} className="hover:underline">
          <strong className="text-lg tabular-nums">{summary.episodes.toLocaleString('en')}</strong> episodes for{' '}
          {summary.hits.toLocaleString('en')} hits
        </Link>
      </p>
      {summary.weeks.length ? (
        <table className="w-full max-w-2xl text-xs" aria-label="Episodes and hits per week">
          <thead className="text-left text-slate-500">
            <tr>
              <th className="pr-3 font-medium">Week of</th>
              <th className="pr-3 font-medium">Episodes begun</th>
              <th className="font-medium">Hits</th>
            </tr>
          </thead>
          <tbody>
            {summary.weeks.map((w) => (
              <tr key={w.week}>
                <td className="whitespace-nowrap pr-3 tabular-nums">{w.week}</td>
                <td className="w-2/5 pr-3">
                  <span className="flex items-center gap-2">
                    <span
                      className="inline-block h-2 rounded bg-violet-600"
                      style={{ width: `${(w.episodes / peakEpisodes) * 100}%` }}
                    />
                    <span className="tabular-nums">{w.episodes}</span>
                  </span>
                </td>
                <td className="w-2/5">
                  <span className="flex items-center gap-2">
                    <span
                      className="inline-block h-2 rounded bg-slate-400"
                      style={{ width: `${(w.hits / peakHits) * 100}%` }}
                    />
                    <span className="tabular-nums">{w.hits}</span>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
