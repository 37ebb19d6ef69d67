'use client';

import { useActionState, useState } from 'react';
import type { ConnectorFormState } from './ConnectorForm';
import { ActionStatus } from '@/components/forms/ActionStatus';

const input =
  'w-72 rounded border border-slate-300 bg-white px-1 py-0.5 font-mono text-xs dark:border-slate-700 dark:bg-slate-950';
const button = 'rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700';

const FIELDS = {
  'defender-storage': [
    { value: 'sasUrl', label: 'SAS URL' },
    { value: 'connectionString', label: 'Connection string' },
  ],
  'graph-hunting': [
    { value: 'clientSecret', label: 'Client secret' },
    { value: 'clientCertificate', label: 'Certificate (PEM with its private key)' },
  ],
} as const;

/**
 * Replace a connector's credential in place (an expired SAS, a rotated secret, a renewed certificate): write-only, the
 * value is checked again on the server (replaceCredential) and the cursors stay.
 */
export function CredentialForm({
  id,
  name,
  kind,
  action,
}: {
  id: number;
  name: string;
  kind: keyof typeof FIELDS;
  action: (state: ConnectorFormState, form: FormData) => Promise<ConnectorFormState>;
}) {
  const [state, formAction, pending] = useActionState(action, { ok: true, message: '' });
  const [field, setField] = useState<string>(FIELDS[kind][0].value);
  return (
    <details className="mt-1 text-xs font-normal">
      <summary className="cursor-pointer text-slate-500">Replace credential</summary>
      <form action={formAction} aria-label={`Credential of ${name}`} className="mt-1 flex flex-col gap-1">
        <input type="hidden" name="id" value={id} />
        <label className="flex items-center gap-1 text-slate-500">
          Kind
          <select
            name="field"
            value={field}
            onChange={(e) => setField(e.target.value)}
            className="rounded border border-slate-300 bg-white px-1 py-0.5 text-xs dark:border-slate-700 dark:bg-slate-950"
          >
            {FIELDS[kind].map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        {field === 'clientCertificate' ? (
          <textarea
            name="value"
            rows={4}
            required
            autoComplete="off"
            aria-label={`New credential for ${name}`}
            className={input}
          />
        ) : (
          <input
            name="value"
            type="password"
            required
            autoComplete="new-password"
            aria-label={`New credential for ${name}`}
            className={input}
          />
        )}
        <div className="flex items-center gap-2">
          <button type="submit" disabled={pending} className={button}>
            {pending ? 'Saving…' : 'Replace'}
          </button>
          <ActionStatus state={state} className="text-xs" />
        </div>
      </form>
    </details>
  );
}
