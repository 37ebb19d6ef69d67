import Link from 'next/link';
import type { DataFreshness } from '@/lib/queries/getDataFreshness';
import { Timestamp } from '@/components/hits/Timestamp';
import type { TimeZoneMode } from '@/lib/time/ranges';

function age(hours: number): string {
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min ago`;
  if (hours < 48) return `${Math.round(hours)} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** Relay-data freshness and the last match run: can the figures above be trusted to be current? */
export function FreshnessPanel({ freshness, tz }: { freshness: DataFreshness; tz: TimeZoneMode }) {
  const { relays, lastMatchRun } = freshness;
  const staleRelays = relays ? relays.ageHours > 36 : true;
  return (
    <section
      aria-label="Data freshness"
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm md:grid-cols-3 dark:border-slate-800 dark:bg-slate-900"
    >
      <div>
        <h3 className="font-medium">Relay data</h3>
        {relays ? (
          <p className={staleRelays ? 'text-orange-700 dark:text-orange-400' : ''}>
            {staleRelays ? '⚠ ' : ''}
            {relays.relayCount.toLocaleString('en')} relays from {relays.feed}, as of{' '}
            <Timestamp iso={relays.observedAt} tz={tz} /> ({age(relays.ageHours)})
          </p>
        ) : (
          <p className="text-orange-700 dark:text-orange-400">
            ⚠ No relay list yet.{' '}
            <Link href="/relays" className="underline">
              Import one
            </Link>
            .
          </p>
        )}
      </div>
      <div>
        <h3 className="font-medium">Last match run</h3>
        {lastMatchRun ? (
          <p className={lastMatchRun.status === 'failed' ? 'text-orange-700 dark:text-orange-400' : ''}>
            {lastMatchRun.status === 'failed' ? '⚠ failed: ' : `${lastMatchRun.status}, `}
            {lastMatchRun.mode}, {lastMatchRun.hitsNew.toLocaleString('en')} new hits,{' '}
            <Timestamp iso={lastMatchRun.finishedAt ?? lastMatchRun.startedAt} tz={tz} /> ({age(lastMatchRun.ageHours)})
            {lastMatchRun.error ? <span className="block text-xs">{lastMatchRun.error}</span> : null}
          </p>
        ) : (
          <p>
            Never run.{' '}
            <Link href="/jobs" className="underline">
              Jobs
            </Link>
          </p>
        )}
      </div>
      <div>
        <h3 className="font-medium">Telemetry</h3>
        <p>
          {Math.round(freshness.events).toLocaleString('en')} network events, {freshness.devices.toLocaleString('en')}{' '}
          devices
        </p>
      </div>
    </section>
  );
}
