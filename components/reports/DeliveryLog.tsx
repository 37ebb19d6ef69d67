import type { DeliveryLogEntry } from '@/lib/reports/reportSchedule';

/** The last report e-mails: when, to whom, how triggered, and the SMTP answer or error in words. */
export function DeliveryLog({ entries }: { entries: DeliveryLogEntry[] }) {
  return (
    <section
      aria-label="Delivery log"
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 className="mb-2 font-medium">Delivery log</h2>
      {entries.length === 0 ? (
        <p className="text-sm text-slate-600">No report sent yet.</p>
      ) : (
        <table className="w-full text-sm" data-testid="delivery-log">
          <thead>
            <tr className="text-left text-xs text-slate-500">
              <th className="py-1">Time (UTC)</th>
              <th>Result</th>
              <th>Recipients</th>
              <th>Trigger</th>
              <th>Server answer</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={i} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-1 whitespace-nowrap tabular-nums">{e.at.replace('T', ' ').replace('Z', '')}</td>
                <td className={e.action === 'report.sent' ? 'text-emerald-700' : 'text-red-700'}>
                  {e.action === 'report.sent' ? 'sent' : 'failed'}
                </td>
                <td>{e.target}</td>
                <td>
                  {e.details?.trigger ?? ''}
                  {e.details?.trigger === 'manual' ? ` by ${e.actor}` : ''}
                </td>
                <td className="break-all">{e.details?.error ?? e.details?.response ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
