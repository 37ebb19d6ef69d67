'use client';

import { useActionState } from 'react';

const input = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950';

export interface WebhookFormState {
  ok: boolean;
  message: string;
}

/** Add a webhook: where, which format, from which confidence, and an optional signing secret. */
export function WebhookForm({ action }: { action: (state: WebhookFormState, form: FormData) => Promise<WebhookFormState> }) {
  const [state, formAction, pending] = useActionState(action, { ok: true, message: '' });
  return (
    <form action={formAction} aria-label="Add webhook" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <label className="flex flex-col text-xs font-medium">Name<input name="name" required maxLength={100} placeholder="SOC channel" className={input} /></label>
      <label className="flex min-w-72 flex-1 flex-col text-xs font-medium">URL<input name="url" type="url" required maxLength={2000} placeholder="https://hooks.slack.com/services/…" className={input} /></label>
      <label className="flex flex-col text-xs font-medium">Format
        <select name="format" defaultValue="slack" className={input}><option value="slack">Slack</option><option value="teams">Microsoft Teams (Workflows)</option><option value="generic">Generic JSON</option></select>
      </label>
      <label className="flex flex-col text-xs font-medium">Alert from
        <select name="minConfidence" defaultValue="high" className={input}><option value="high">high confidence</option><option value="medium">medium and up</option><option value="low">every new hit</option></select>
      </label>
      <label className="flex flex-col text-xs font-medium">Signing secret (optional)<input name="secret" type="password" autoComplete="new-password" maxLength={200} className={input} /></label>
      <button type="submit" disabled={pending} className="rounded-md bg-violet-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-violet-800 disabled:opacity-60">Add webhook</button>
      {state.message ? <p role={state.ok ? 'status' : 'alert'} className={`basis-full text-sm ${state.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}`}>{state.message}</p> : null}
      <p className="basis-full text-xs text-slate-500">With a secret, each request carries <code>X-TorWatch-Signature: sha256=&lt;hex&gt;</code>, the HMAC-SHA256 of the raw body.</p>
    </form>
  );
}
