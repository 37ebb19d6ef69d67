'use client';

import { useState, useTransition } from 'react';
import type { WebhookView } from '@/lib/alerts/listWebhooks';
import type { WebhookFormState } from './WebhookForm';

const button =
  'rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800';

/** Configured webhooks: enable/disable, test-send (the answer shows inline), delete. */
export function WebhooksTable({
  webhooks,
  onToggle,
  onDelete,
  onTest,
}: {
  webhooks: WebhookView[];
  onToggle: (form: FormData) => Promise<void>;
  onDelete: (form: FormData) => Promise<void>;
  onTest: (id: number) => Promise<WebhookFormState>;
}) {
  const [results, setResults] = useState<Record<number, WebhookFormState>>({});
  const [pending, startTransition] = useTransition();
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm" aria-label="Webhooks">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:border-slate-800 dark:bg-slate-800/60 dark:text-slate-300">
          <tr>
            <th className="px-3 py-2">Name</th>
            <th className="px-3 py-2">URL</th>
            <th className="px-3 py-2">Format</th>
            <th className="px-3 py-2">From</th>
            <th className="px-3 py-2">Signed</th>
            <th className="px-3 py-2">Deliveries</th>
            <th className="px-3 py-2">Actions</th>
          </tr>
        </thead>
        <tbody>
          {webhooks.map((hook) => (
            <tr key={hook.id} className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800">
              <td className="px-3 py-2 font-medium">
                {hook.name}
                {hook.enabled ? null : <span className="ml-1 text-xs text-slate-500">(disabled)</span>}
              </td>
              <td className="max-w-xs break-all px-3 py-2 font-mono text-xs">{hook.url}</td>
              <td className="px-3 py-2">{hook.format}</td>
              <td className="px-3 py-2">
                {hook.minConfidence} · per {hook.alertPer}
              </td>
              <td className="px-3 py-2">{hook.hasSecret ? 'yes' : 'no'}</td>
              <td className="px-3 py-2 text-xs">
                {hook.delivered} delivered · {hook.failed} failed · {hook.pending} pending
              </td>
              <td className="px-3 py-2">
                <div className="flex flex-wrap gap-1">
                  <button
                    type="button"
                    className={button}
                    disabled={pending || !hook.enabled}
                    onClick={() =>
                      startTransition(async () => {
                        const r = await onTest(hook.id);
                        setResults((old) => ({ ...old, [hook.id]: r }));
                      })
                    }
                  >
                    Send test
                  </button>
                  <form action={onToggle}>
                    <input type="hidden" name="id" value={hook.id} />
                    <input type="hidden" name="enabled" value={String(!hook.enabled)} />
                    <button type="submit" className={button}>
                      {hook.enabled ? 'Disable' : 'Enable'}
                    </button>
                  </form>
                  <form
                    action={onDelete}
                    onSubmit={(e) => {
                      if (!window.confirm(`Delete webhook "${hook.name}" and its delivery log?`)) e.preventDefault();
                    }}
                  >
                    <input type="hidden" name="id" value={hook.id} />
                    <button type="submit" className={`${button} text-red-700 dark:text-red-400`}>
                      Delete
                    </button>
                  </form>
                </div>
                {results[hook.id] ? (
                  <p
                    role={results[hook.id].ok ? 'status' : 'alert'}
                    className={`mt-1 text-xs ${results[hook.id].ok ? 'text-emerald-700' : 'text-red-700'}`}
                  >
                    {results[hook.id].message}
                  </p>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
