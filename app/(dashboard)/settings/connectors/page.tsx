import { PageHeader } from '@/components/layout/PageHeader';
import { ConnectorForm } from '@/components/connectors/ConnectorForm';
import { CredentialForm } from '@/components/connectors/CredentialForm';
import { IntervalForm } from '@/components/connectors/IntervalForm';
import { requirePageRole } from '@/lib/auth/guard';
import { connectorHealth, type ConnectorHealth } from '@/lib/connectors/connectorHealth';
import { formatLag } from '@/lib/connectors/runConnector';
import {
  addConnectorAction,
  removeConnectorAction,
  replaceCredentialAction,
  runNowAction,
  setIntervalAction,
  setPausedAction,
} from './actions';

export const metadata = { title: 'Connectors' };
export const dynamic = 'force-dynamic';

const KIND: Record<ConnectorHealth['kind'], string> = {
  'zeek-folder': 'Zeek folder',
  'defender-storage': 'Defender storage',
  'graph-hunting': 'Graph hunting',
};

const STATE: Record<ConnectorHealth['state'], string> = {
  ok: 'text-green-700 dark:text-green-400',
  new: 'text-slate-600',
  paused: 'text-slate-500',
  failing: 'text-amber-700 dark:text-amber-400',
  stalled: 'text-red-700 dark:text-red-400',
};

const button = 'rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700';

export default async function ConnectorsPage() {
  await requirePageRole('admin');
  const connectors = await connectorHealth();
  return (
    <>
      <PageHeader
        title="Connectors"
        description="Telemetry pulled on a schedule — Defender's Streaming API storage, Microsoft Graph advanced hunting, Zeek log folders — through the same ingest path as uploads, resuming exactly where it stopped."
      />
      <div className="flex flex-col gap-6">
        <ConnectorForm action={addConnectorAction} />
        {connectors.length === 0 ? (
          <p className="text-sm text-slate-500">No connectors yet.</p>
        ) : (
          <table className="w-full text-left text-sm" aria-label="Connectors">
            <thead className="text-xs text-slate-500">
              <tr>
                <th className="py-1">Name</th>
                <th>Kind</th>
                <th>State</th>
                <th>Last success</th>
                <th>Lag</th>
                <th>Events/h (24 h)</th>
                <th>Last error</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {connectors.map((c) => (
                <tr key={c.id} className="border-t border-slate-200 align-top dark:border-slate-800">
                  <td className="py-2 font-medium">
                    {c.name}
                    <div className="text-xs font-normal text-slate-500">{c.source}</div>
                    {c.certificate ? (
                      <div className="text-xs font-normal text-slate-500">
                        certificate {c.certificate.thumbprint} · expires {c.certificate.expiresAt.slice(0, 10)}
                      </div>
                    ) : null}
                    <IntervalForm id={c.id} name={c.name} minutes={c.intervalMinutes} action={setIntervalAction} />
                    {c.kind !== 'zeek-folder' ? (
                      <CredentialForm id={c.id} name={c.name} kind={c.kind} action={replaceCredentialAction} />
                    ) : null}
                  </td>
                  <td>{KIND[c.kind]}</td>
                  <td className={STATE[c.state]} data-testid={`connector-state-${c.name}`}>
                    {c.state}
                  </td>
                  <td>
                    {c.lastSuccessAt ? <time dateTime={c.lastSuccessAt}>{c.lastSuccessAt.slice(0, 19)}Z</time> : '—'}
                  </td>
                  <td>{c.lagSeconds === null ? '—' : formatLag(c.lagSeconds * 1000)}</td>
                  <td>{c.eventsPerHour.toLocaleString('en-US')}</td>
                  <td className="max-w-md text-xs break-words text-red-700 dark:text-red-400">{c.lastError ?? ''}</td>
                  <td className="flex flex-wrap gap-1 py-2">
                    <form action={runNowAction}>
                      <input type="hidden" name="id" value={c.id} />
                      <button className={button} aria-label={`Run ${c.name} now`}>
                        Run now
                      </button>
                    </form>
                    <form action={setPausedAction}>
                      <input type="hidden" name="id" value={c.id} />
                      <input type="hidden" name="paused" value={String(c.state !== 'paused')} />
                      <button className={button}>{c.state === 'paused' ? 'Resume' : 'Pause'}</button>
                    </form>
                    <form action={removeConnectorAction}>
                      <input type="hidden" name="id" value={c.id} />
                      <button className={button} aria-label={`Remove ${c.name}`}>
                        Remove
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
