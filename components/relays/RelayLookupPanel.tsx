import Link from 'next/link';
import type { RelayLookup } from '@/lib/queries/getRelayLookup';
import type { RelayAddressInterval } from '@/lib/relays/lookupRelayAddress';
import { formatUtc } from '@/lib/time/formatUtc';
import { BUTTON, formatAddress, INPUT, KIND_LABEL } from './relayFormat';

/** "Was this a relay then?" — a plain GET form (works without JavaScript), and its answer. */
export function RelayLookupPanel({
  ip,
  at,
  lookup,
  error,
}: {
  ip: string;
  at: string;
  lookup: RelayLookup | null;
  error: string | null;
}) {
  return (
    <section
      aria-labelledby="lookup-heading"
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id="lookup-heading" className="mb-1 text-lg font-medium">
        Was this a relay then?
      </h2>
      <p className="mb-3 text-xs text-slate-500">
        Like ExoneraTor: an address and a time (UTC; empty = now). Intervals are widened by the matcher&apos;s grace.
      </p>
      <form method="get" action="/relays" className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col text-xs font-medium">
          IP address
          <input
            name="ip"
            defaultValue={ip}
            required
            placeholder="185.220.101.1"
            className={`${INPUT} w-52 font-mono`}
          />
        </label>
        <label className="flex flex-col text-xs font-medium">
          Time (UTC)
          <input name="at" type="datetime-local" step="1" defaultValue={at} className={INPUT} />
        </label>
        <button className={BUTTON}>Look up</button>
      </form>
      {error ? (
        <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
      {lookup ? <LookupAnswer lookup={lookup} /> : null}
    </section>
  );
}

function LookupAnswer({ lookup }: { lookup: RelayLookup }) {
  return (
    <div className="mt-4" data-testid="lookup-answer">
      <p
        className={`rounded-md px-3 py-2 text-sm font-medium ${
          lookup.wasRelay
            ? 'bg-amber-50 text-amber-900 dark:bg-amber-900/30 dark:text-amber-100'
            : 'bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100'
        }`}
      >
        {lookup.wasRelay ? 'Yes' : 'No'} — <span className="font-mono">{lookup.ip}</span>{' '}
        {lookup.wasRelay ? 'was' : 'was not'} a Tor relay address at {formatUtc(lookup.at)} (relay lists ±
        {lookup.graceHours} h, consensus history ±{lookup.consensusGraceHours} h).
      </p>
      {lookup.consensus ? <ConsensusAnswer lookup={lookup} /> : null}
      {lookup.matches.length ? <IntervalList intervals={lookup.matches} /> : null}
      {lookup.otherIntervals.length ? (
        <>
          <p className="mt-3 text-xs font-medium text-slate-500">Listed at other times</p>
          <IntervalList intervals={lookup.otherIntervals} />
        </>
      ) : null}
    </div>
  );
}

function IntervalList({ intervals }: { intervals: RelayAddressInterval[] }) {
  return (
    <ul className="mt-2 space-y-1 text-sm">
      {intervals.map((interval) => (
        <li
          key={`${interval.fingerprint}|${interval.kind}|${interval.port}|${interval.validFrom}`}
          className="flex flex-wrap gap-x-3"
        >
          {interval.fingerprint ? (
            <Link
              href={`/relays/${interval.fingerprint}`}
              className="font-medium text-violet-700 hover:underline dark:text-violet-400"
            >
              {interval.nickname ?? interval.fingerprint.slice(0, 12)}
            </Link>
          ) : (
            <span className="text-slate-500">unnamed (bulk exit list)</span>
          )}
          <span className="text-xs text-slate-500">
            {KIND_LABEL[interval.kind]} {formatAddress(interval.ip, interval.port)}
          </span>
          <span className="text-xs tabular-nums">
            {formatUtc(interval.validFrom)} → {formatUtc(interval.validTo)}
          </span>
          {interval.flags.includes('Exit') ? (
            <span className="text-xs font-medium text-orange-700 dark:text-orange-300">Exit</span>
          ) : null}
          {!interval.strict ? <span className="text-xs text-slate-500">(within grace)</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** Hour-exact, from consensus history: "listed in 23 of 24 consensuses on 2026-09-14", and the hours around T. */
function ConsensusAnswer({ lookup }: { lookup: RelayLookup }) {
  const day = lookup.consensus!;
  return (
    <div className="mt-3 text-sm" data-testid="consensus-answer">
      {day.relays.length === 0 ? (
        <p>
          Consensus history: listed in 0 of {day.consensuses} consensuses on {day.day}.
        </p>
      ) : (
        <ul className="space-y-1">
          {day.relays.map((relay) => (
            <li key={relay.fingerprint}>
              <Link
                href={`/relays/${relay.fingerprint}`}
                className="font-medium text-violet-700 hover:underline dark:text-violet-400"
              >
                {relay.nickname ?? relay.fingerprint.slice(0, 12)}
              </Link>{' '}
              listed in {relay.listed} of {day.consensuses} consensuses on {day.day}
              {relay.flags.length ? <span className="text-xs text-slate-500"> · {relay.flags.join(' ')}</span> : null}
            </li>
          ))}
        </ul>
      )}
      {day.around.length ? (
        <ol className="mt-2 flex flex-wrap gap-0.5" aria-label="Consensus hours around the time">
          {day.around.map((hour) => (
            <li
              key={hour.validAfter}
              title={`${formatUtc(hour.validAfter)}: ${hour.listed ? 'listed' : 'not listed'}`}
              className={`w-7 rounded-sm py-0.5 text-center text-[10px] tabular-nums ${
                hour.listed
                  ? 'bg-amber-200 text-amber-900 dark:bg-amber-800 dark:text-amber-50'
                  : 'bg-slate-100 text-slate-500 dark:bg-slate-800'
              }`}
            >
              {hour.validAfter.slice(11, 13)}
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
