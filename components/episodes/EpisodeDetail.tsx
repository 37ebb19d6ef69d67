import Link from 'next/link';
import type { HitRow } from '@/lib/queries/hitRowSql';
import type { EpisodeView } from '@/lib/queries/getEpisode';
import type { TimeZoneMode } from '@/lib/time/ranges';
import { ConfidenceBadge, CountryLabel, StatusBadge } from '@/components/hits/badges';
import { Timestamp } from '@/components/hits/Timestamp';
import { STATUS_LABELS } from '@/components/triage/statusLabels';
import { EpisodeTimeline } from './EpisodeTimeline';

/** The expanded row of the Episodes table: the decision, a timeline and the episode's hits. */
export function EpisodeDetail({
  episode,
  hits,
  totalHits,
  tz,
}: {
  episode: EpisodeView;
  hits: HitRow[];
  totalHits: number;
  tz: TimeZoneMode;
}) {
  return (
    <section aria-label={`Episode ${episode.id}`} className="flex flex-col gap-3 text-sm">
      <p className="text-slate-600 dark:text-slate-300">
        Episode {episode.id}: {episode.hitCount.toLocaleString('en')} hits ({episode.openHits} open) from{' '}
        {episode.relayFingerprints.length} relays
        {episode.ports.length ? `, ports ${episode.ports.join(', ')}` : ''}.{' '}
        {episode.decidedStatus ? (
          <span data-testid="episode-decision">
            Decided {STATUS_LABELS[episode.decidedStatus as keyof typeof STATUS_LABELS] ?? episode.decidedStatus}
            {episode.decidedBy ? ` by ${episode.decidedBy}` : ''}
            {episode.decidedAssignee ? `, assigned to ${episode.decidedAssignee}` : ''}: hits that join it take this
            status.
          </span>
        ) : (
          'No decision on the episode yet.'
        )}
      </p>
      <EpisodeTimeline hits={hits} firstSeen={episode.firstSeen} lastSeen={episode.lastSeen} />
      <table className="w-full max-w-4xl text-left text-xs" aria-label="Episode hits">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 pr-3 font-medium">Time</th>
            <th className="py-1 pr-3 font-medium">Remote</th>
            <th className="py-1 pr-3 font-medium">Relays</th>
            <th className="py-1 pr-3 font-medium">Country</th>
            <th className="py-1 pr-3 font-medium">Confidence</th>
            <th className="py-1 pr-3 font-medium">Status</th>
          </tr>
        </thead>
        <tbody>
          {hits.map((hit) => (
            <tr key={hit.id} data-episode-hit-id={hit.id} className="border-t border-slate-200 dark:border-slate-800">
              <td className="py-1 pr-3">
                <Link href={`/hits/${hit.id}`} className="text-violet-800 hover:underline dark:text-violet-300">
                  <Timestamp iso={hit.ts} tz={tz} />
                </Link>
              </td>
              <td className="py-1 pr-3 font-mono">
                {hit.remoteIp}
                {hit.remotePort ? `:${hit.remotePort}` : ''}
              </td>
              <td className="py-1 pr-3">{hit.relayNicknames.join(', ')}</td>
              <td className="py-1 pr-3">
                <CountryLabel code={hit.country} />
              </td>
              <td className="py-1 pr-3">
                <ConfidenceBadge confidence={hit.confidence} />
              </td>
              <td className="py-1 pr-3">
                <StatusBadge status={hit.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {totalHits > hits.length ? (
        <p className="text-xs text-slate-500">
          Showing the first {hits.length} of {totalHits.toLocaleString('en')} hits.{' '}
          <Link
            className="underline"
            href={`/hits?device=${encodeURIComponent(episode.deviceId)}&from=${episode.firstSeen}&to=${new Date(Date.parse(episode.lastSeen) + 1).toISOString()}`}
          >
            All of them on the Hits page
          </Link>
        </p>
      ) : null}
    </section>
  );
}
