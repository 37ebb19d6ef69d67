'use client';

import { startTransition, useActionState, type FormEvent } from 'react';
import type { WebhookView } from '@/lib/alerts/listWebhooks';
import { ActionStatus } from '@/components/forms/ActionStatus';

const input = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950';

export interface WebhookFormState {
  ok: boolean;
  message: string;
}

/**
 * Add a webhook — where, which format, from which confidence, and an optional signing secret — or, given `webhook`,
 * change one: the secret is write-only (left empty it stays; "remove" drops it), and the webhook stays enabled or
 * disabled as it is.
 */
export function WebhookForm({
  action,
  webhook,
}: {
  action: (state: WebhookFormState, form: FormData) => Promise<WebhookFormState>;
  webhook?: WebhookView;
}) {
  const [state, formAction, pending] = useActionState(action, { ok: true, message: '' });
  // Adding: React clears the form after the action. Editing must not reset it: the reset restores the values the form
  // was rendered with, so a second save would quietly undo the first one.
  const submitKeepingValues = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  };
  return (
    <form
      action={webhook ? undefined : formAction}
      onSubmit={webhook ? submitKeepingValues : undefined}
      aria-label={webhook ? `Edit webhook ${webhook.name}` : 'Add webhook'}
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      {webhook ? (
        <>
          <input type="hidden" name="id" value={webhook.id} />
          <input type="hidden" name="enabled" value={String(webhook.enabled)} />
        </>
      ) : null}
      <label className="flex flex-col text-xs font-medium">
        Name
        <input
          name="name"
          required
          maxLength={100}
          placeholder="SOC channel"
          defaultValue={webhook?.name}
          className={input}
        />
      </label>
      <label className="flex min-w-72 flex-1 flex-col text-xs font-medium">
        URL
        <input
          name="url"
          type="url"
          required
          maxLength={2000}
          placeholder="https://hooks.slack.com/services/…"
          defaultValue={webhook?.url}
          className={input}
        />
      </label>
      <label className="flex flex-col text-xs font-medium">
        Format
        <select name="format" defaultValue={webhook?.format ?? 'slack'} className={input}>
          <option value="slack">Slack</option>
          <option value="teams">Microsoft Teams (Workflows)</option>
          <option value="generic">Generic JSON</option>
        </select>
      </label>
      <label className="flex flex-col text-xs font-medium">
        Alert from
        <select name="minConfidence" defaultValue={webhook?.minConfidence ?? 'high'} className={input}>
          <option value="high">high confidence</option>
          <option value="medium">medium and up</option>
          <option value="low">every new hit</option>
        </select>
      </label>
      <label className="flex flex-col text-xs font-medium">
        Alert per
        <select name="alertPer" defaultValue={webhook?.alertPer ?? 'episode'} className={input}>
          <option value="episode">new episode</option>
          <option value="hit">new hits (one message per run)</option>
        </select>
      </label>
      <label className="flex flex-col text-xs font-medium">
        {webhook?.hasSecret ? 'New signing secret (empty: keep it)' : 'Signing secret (optional)'}
        <input name="secret" type="password" autoComplete="new-password" maxLength={200} className={input} />
      </label>
      {webhook?.hasSecret ? (
        <label className="flex items-center gap-1 text-xs">
          <input type="checkbox" name="clearSecret" /> remove the secret
        </label>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-violet-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-violet-800 disabled:opacity-60"
      >
        {webhook ? 'Save changes' : 'Add webhook'}
      </button>
      <ActionStatus state={state} className="basis-full text-sm" />
      {webhook ? null : (
        <p className="basis-full text-xs text-slate-500">
          With a secret, each request carries <code>X-TorWatch-Signature: sha256=&lt;hex&gt;</code>, the HMAC-SHA256 of
          the raw body.
        </p>
      )}
    </form>
  );
}
