import Link from 'next/link';
import type { HitDetail, RelayInterval } from '@/lib/queries/getHitDetail';
import type { TimeZoneMode } from '@/lib/time/ranges';
import { ConfidenceBadge, CountryLabel, StatusBadge } from './badges';
import { Timestamp } from './Timestamp';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 break-words">{children ?? <span className="text-slate-400">—</span>}</dd>
    </>
  );
}

function Intervals({ intervals, tz, caption }: { intervals: RelayInterval[]; tz: TimeZoneMode; caption: string }) {
  if (!intervals.length)
    return (
      <p className="text-sm text-slate-500">
        No relay data for this address any more (the evidence may have been withdrawn).
      </p>
    );
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-xs">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-left text-slate-500">
          <tr>
            <th className="pr-2">Relay</th>
            <th className="pr-2">Address</th>
            <th className="pr-2">Kind</th>
            <th className="pr-2">Valid from</th>
            <th>Valid to</th>
          </tr>
        </thead>
        <tbody>
          {intervals.map((r) => (
            <tr
              key={`${r.fingerprint}-${r.ip}-${r.port}-${r.kind}-${r.validFrom}`}
              className={r.coversHit ? 'font-semibold' : ''}
            >
              <td className="pr-2 align-top">
                {r.fingerprint ? (
                  <Link
                    href={`/relays/${r.fingerprint}`}
                    className="text-violet-800 hover:underline dark:text-violet-300"
                  >
                    {r.nickname ?? r.fingerprint.slice(0, 8)}
                  </Link>
                ) : (
                  'exit list'
                )}
                {r.country ? <span className="ml-1 text-slate-500">{r.country.toUpperCase()}</span> : null}
                {r.flags.length ? <div className="font-normal text-slate-500">{r.flags.join(' ')}</div> : null}
              </td>
              <td className="pr-2 align-top font-mono">
                {r.ip}
                {r.port ? `:${r.port}` : ''}
              </td>
              <td className="pr-2 align-top">
                {r.kind}
                {r.coversHit ? ' ✓' : ''}
              </td>
              <td className="pr-2 align-top">
                <Timestamp iso={r.validFrom} tz={tz} />
              </td>
              <td className="align-top">
                <Timestamp iso={r.validTo} tz={tz} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Everything about one hit: the event's fields, the relays on that address (and their address history), the device's public IP then. */
export function HitDetailPanel({
  detail,
  tz,
  closeHref,
  triage,
}: {
  detail: HitDetail;
  tz: TimeZoneMode;
  closeHref?: string;
  triage?: React.ReactNode;
}) {
  const { hit, event } = detail;
  return (
    <article
      aria-label="Hit detail"
      className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <header className="flex items-start justify-between gap-2">
        <div>
          <h2 className="text-base font-semibold">
            {hit.processFileName ?? '(no process)'} →{' '}
            <span className="font-mono">
              {hit.remoteIp}
              {hit.remotePort ? `:${hit.remotePort}` : ''}
            </span>
          </h2>
          <p className="text-slate-500">
            <Timestamp iso={hit.ts} tz={tz} /> · hit #{hit.id}
          </p>
        </div>
        <div className="flex gap-2">
          <Link href={`/hits/${hit.id}`} className="text-xs text-violet-800 underline dark:text-violet-300">
            Full page
          </Link>
          {closeHref ? (
            <Link
              href={closeHref}
              scroll={false}
              aria-label="Close detail"
              className="rounded px-1.5 text-lg leading-none hover:bg-slate-100 dark:hover:bg-slate-800"
            >
              ×
            </Link>
          ) : null}
        </div>
      </header>
      <div className="flex flex-wrap items-center gap-3">
        <ConfidenceBadge confidence={hit.confidence} />
        <StatusBadge status={hit.status} />
      </div>
      <div id="hit-triage">{triage}</div>
      <section>
        <h3 className="mb-1 font-medium">Event</h3>
        <dl className="grid grid-cols-[9rem_1fr] gap-x-3 gap-y-1">
          <Field label="Device">
            <Link
              href={`/devices/${encodeURIComponent(hit.deviceId)}`}
              className="text-violet-800 hover:underline dark:text-violet-300"
            >
              {hit.deviceName ?? hit.deviceId}
            </Link>{' '}
            <span className="text-xs text-slate-500">{hit.deviceId}</span>
          </Field>
          <Field label="Action">
            {hit.actionType} ({hit.direction})
          </Field>
          <Field label="Process">{hit.processFileName}</Field>
          <Field label="Folder">{hit.processFolderPath}</Field>
          <Field label="SHA-256">
            <span className="font-mono text-xs">{hit.processSha256}</span>
          </Field>
          {event?.processCommandLine !== undefined ? (
            <Field label="Command line">
              <code className="text-xs">{event?.processCommandLine}</code>
            </Field>
          ) : null}
          <Field label="Account">{event?.processAccountName}</Field>
          <Field label="Local address">
            <span className="font-mono">
              {hit.localIp}
              {event?.localPort ? `:${event.localPort}` : ''}
            </span>
          </Field>
          <Field label="Remote">
            <span className="font-mono">
              {hit.remoteIp}
              {hit.remotePort ? `:${hit.remotePort}` : ''}
            </span>
            {event?.remoteUrl ? ` (${event.remoteUrl})` : ''}
          </Field>
          <Field label="Protocol">{event?.protocol}</Field>
          <Field label="Country">
            <CountryLabel code={hit.country} />
          </Field>
          <Field label="Evidence">
            port match {hit.portMatch ? 'yes' : 'no'} · exit {hit.isExit ? 'yes' : 'no'}
            {hit.viaExitAddress ? ' (exit address only)' : ''}
          </Field>
          <Field label="Precision">
            {hit.precision === 'hour' ? (
              <span data-testid="hit-precision">
                from summary, hour precision: {hit.summaryEvents} connection(s) from <Timestamp iso={hit.ts} tz={tz} />{' '}
                to <Timestamp iso={hit.summaryLastSeen ?? hit.ts} tz={tz} /> (the raw events are past retention)
              </span>
            ) : (
              <span data-testid="hit-precision">event</span>
            )}
          </Field>
          <Field label="Source">
            {event
              ? `${event.source}, report ${event.reportId}, batch ${event.batchId}`
              : hit.precision === 'event'
                ? 'the raw event is past retention'
                : null}
          </Field>
        </dl>
      </section>
      <section>
        <h3 className="mb-1 font-medium">Device&apos;s public IP then</h3>
        <p className="font-mono">{hit.localPublicIp ?? '—'}</p>
        {detail.publicIps.length ? (
          <ul className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            {detail.publicIps.map((p) => (
              <li key={p.ts}>
                <Timestamp iso={p.ts} tz={tz} />: <span className="font-mono">{p.publicIp ?? '(none)'}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-xs text-slate-500">No DeviceInfo records for this device.</p>
        )}
      </section>
      <section>
        <h3 className="mb-1 font-medium">Relays on {hit.remoteIp}</h3>
        <Intervals intervals={detail.relaysOnAddress} tz={tz} caption={`Relay intervals of ${hit.remoteIp}`} />
      </section>
      <section>
        <h3 className="mb-1 font-medium">Address history of these relays</h3>
        <Intervals intervals={detail.addressHistory} tz={tz} caption="Every address of these relays" />
      </section>
    </article>
  );
}
