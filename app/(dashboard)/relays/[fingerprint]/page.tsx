import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PageHeader } from '@/components/layout/PageHeader';
import { AddressTimeline } from '@/components/relays/AddressTimeline';
import { formatAddress, formatCountry, KIND_LABEL, ROW, TABLE, THEAD } from '@/components/relays/relayFormat';
import { formatUtc } from '@/lib/time/formatUtc';
import { requirePageRole } from '@/lib/auth/guard';
import { getRelay } from '@/lib/queries/getRelay';

export const metadata = { title: 'Relay' };

export default async function RelayPage({ params }: { params: Promise<{ fingerprint: string }> }) {
  const actor = await requirePageRole('viewer');
  const relay = await getRelay(actor, decodeURIComponent((await params).fingerprint));
  if (!relay) notFound();
  const facts: Array<[string, string]> = [
    ['Fingerprint', relay.fingerprint],
    ['Country', formatCountry(relay.country)],
    ['Flags', relay.flags.join(' ') || '—'],
    ['AS', [relay.asNumber, relay.asName].filter(Boolean).join(' · ') || '—'],
    ['Host names', relay.hostnames.join(' ') || '—'],
    ['First seen', relay.firstSeen ? formatUtc(relay.firstSeen) : '—'],
    ['Last seen', relay.lastSeen ? formatUtc(relay.lastSeen) : '—'],
    ['Running', relay.running === null ? '—' : relay.running ? 'yes' : 'no'],
    ['Consensus weight', relay.consensusWeight?.toLocaleString('en') ?? '—'],
  ];
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/relays" className="text-violet-700 hover:underline dark:text-violet-400">
          ← Relays
        </Link>
      </p>
      <PageHeader
        title={relay.nickname ?? 'Relay'}
        description="What the relay lists said about this relay, and which addresses it had when."
      />
      <dl className="mb-6 grid gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-2 xl:grid-cols-3 dark:border-slate-800 dark:bg-slate-900">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd className={label === 'Fingerprint' ? 'font-mono text-xs break-all' : ''}>{value}</dd>
          </div>
        ))}
      </dl>
      <AddressTimeline history={relay.history} />
      <section aria-labelledby="history-heading">
        <h2 id="history-heading" className="mb-2 text-lg font-medium">
          Address history
        </h2>
        <div className={TABLE}>
          <table className="w-full text-left text-sm" aria-label="Address history">
            <thead className={THEAD}>
              <tr>
                <th className="px-3 py-2">Address</th>
                <th className="px-3 py-2">Kind</th>
                <th className="px-3 py-2">Evidence</th>
                <th className="px-3 py-2">Valid from</th>
                <th className="px-3 py-2">Valid to</th>
                <th className="px-3 py-2">Snapshots</th>
                <th className="px-3 py-2" />
              </tr>
            </thead>
            <tbody>
              {relay.history.map((row) => (
                <tr key={`${row.ip}|${row.port}|${row.kind}|${row.evidence}|${row.validFrom}`} className={ROW}>
                  <td className="px-3 py-2 font-mono text-xs">{formatAddress(row.ip, row.port)}</td>
                  <td className="px-3 py-2 text-xs">{KIND_LABEL[row.kind] ?? row.kind}</td>
                  <td className="px-3 py-2 text-xs">
                    {row.evidence === 'consensus' ? 'consensus history' : 'relay list'}
                  </td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">{formatUtc(row.validFrom)}</td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">{formatUtc(row.validTo)}</td>
                  <td className="px-3 py-2 text-xs tabular-nums">
                    #{row.firstSnapshotId}
                    {row.lastSnapshotId !== row.firstSnapshotId ? ` – #${row.lastSnapshotId}` : ''}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    <Link
                      href={`/relays?ip=${encodeURIComponent(row.ip)}&at=${encodeURIComponent(row.validTo.slice(0, 19))}`}
                      className="text-violet-700 hover:underline dark:text-violet-400"
                    >
                      look up
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
