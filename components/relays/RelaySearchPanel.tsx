import Link from 'next/link';
import type { RelaySearchResult } from '@/lib/queries/searchRelays';
import { formatUtc } from '@/lib/time/formatUtc';
import { BUTTON, formatCountry, INPUT, ROW, TABLE, THEAD } from './relayFormat';

/** Relay search (IP, fingerprint, nickname, country) as a GET form, and the matching relays. */
export function RelaySearchPanel({ q, country, result }: { q: string; country: string; result: RelaySearchResult }) {
  return (
    <section aria-labelledby="search-heading">
      <h2 id="search-heading" className="mb-2 text-lg font-medium">
        Relays
      </h2>
      <form method="get" action="/relays" className="mb-3 flex flex-wrap items-end gap-2">
        <label className="flex flex-col text-xs font-medium">
          IP, fingerprint or nickname
          <input
            name="q"
            defaultValue={q}
            placeholder="e.g. 185.220.101.1, 9695DFC3…, moria1"
            className={`${INPUT} w-72`}
          />
        </label>
        <label className="flex flex-col text-xs font-medium">
          Country
          <input
            name="country"
            defaultValue={country}
            maxLength={2}
            placeholder="de"
            className={`${INPUT} w-16 uppercase`}
          />
        </label>
        <button className={BUTTON}>Search</button>
      </form>
      <div className={TABLE}>
        <table className="w-full text-left text-sm" aria-label="Relay search results">
          <thead className={THEAD}>
            <tr>
              <th className="px-3 py-2">Relay</th>
              <th className="px-3 py-2">Latest addresses</th>
              <th className="px-3 py-2">Flags</th>
              <th className="px-3 py-2">Country</th>
              <th className="px-3 py-2">Last listed</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.length === 0 ? (
              <tr>
                <td colSpan={5} className="px-3 py-6 text-center text-slate-500">
                  No relay matches{q ? ` “${q}”` : ''}.
                </td>
              </tr>
            ) : (
              result.rows.map((relay) => (
                <tr key={relay.fingerprint} className={ROW}>
                  <td className="px-3 py-2">
                    <Link
                      href={`/relays/${relay.fingerprint}`}
                      className="font-medium text-violet-700 hover:underline dark:text-violet-400"
                    >
                      {relay.nickname ?? '(no nickname)'}
                    </Link>
                    <div className="font-mono text-xs text-slate-500">{relay.fingerprint}</div>
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{relay.addresses.join(', ') || '—'}</td>
                  <td className="px-3 py-2 text-xs">{relay.flags.join(' ') || '—'}</td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">{formatCountry(relay.country)}</td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">
                    {relay.lastListedAt ? formatUtc(relay.lastListedAt) : '—'}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {result.limited ? (
        <p className="mt-2 text-xs text-slate-500">
          Showing the {result.rows.length} most recently listed; narrow the search to see others.
        </p>
      ) : null}
    </section>
  );
}
