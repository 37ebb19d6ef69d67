import type { WebhookDeliveryView } from '@/lib/alerts/listWebhookDeliveries';
import { formatUtc } from '@/lib/time/formatUtc';

const utc = (iso: string | null) => formatUtc(iso);
const STATUS_STYLE: Record<string, string> = {
  delivered: 'text-emerald-700 dark:text-emerald-400',
  failed: 'text-red-700 dark:text-red-400',
  pending: 'text-amber-700 dark:text-amber-400',
};

/** Newest deliveries first: what was sent, how often it was tried, what the receiver answered; failed ones can be retried. */
export function WebhookDeliveryLog({
  deliveries,
  onRetry,
}: {
  deliveries: WebhookDeliveryView[];
  onRetry: (form: FormData) => Promise<void>;
}) {
  if (!deliveries.length) return <p className="text-sm text-slate-500">Nothing sent yet.</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm" aria-label="Webhook deliveries">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:border-slate-800 dark:bg-slate-800/60 dark:text-slate-300">
          <tr>
            <th className="px-3 py-2">Created</th>
            <th className="px-3 py-2">Webhook</th>
            <th className="px-3 py-2">Match run</th>
            <th className="px-3 py-2 text-right">Hits</th>
            <th className="px-3 py-2">Status</th>
            <th className="px-3 py-2 text-right">Attempts</th>
            <th className="px-3 py-2">Answer</th>
            <th className="px-3 py-2" />
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id} className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800">
              <td className="whitespace-nowrap px-3 py-1.5 text-xs">{utc(d.createdAt)}</td>
              <td className="px-3 py-1.5">{d.webhookName}</td>
              <td className="px-3 py-1.5">{d.matchRunId ?? 'test'}</td>
              <td className="px-3 py-1.5 text-right tabular-nums">{d.hitCount}</td>
              <td className={`px-3 py-1.5 font-medium ${STATUS_STYLE[d.status] ?? ''}`}>
                {d.status}
                {d.deliveredAt ? (
                  <span className="block text-xs font-normal text-slate-500">{utc(d.deliveredAt)}</span>
                ) : null}
              </td>
              <td className="px-3 py-1.5 text-right tabular-nums">{d.attempts}</td>
              <td className="max-w-sm break-words px-3 py-1.5 text-xs">
                {d.responseCode ? `HTTP ${d.responseCode}` : ''}
                {d.error && !d.error.startsWith('HTTP') ? ` ${d.error}` : ''}
              </td>
              <td className="px-3 py-1.5">
                {d.status === 'failed' || (d.status === 'pending' && d.error?.startsWith('not queued')) ? (
                  <form action={onRetry}>
                    <input type="hidden" name="id" value={d.id} />
                    <button
                      type="submit"
                      className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
                    >
                      Retry
                    </button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
