'use client';

import { useActionState, useState } from 'react';
import { ActionStatus } from '@/components/forms/ActionStatus';

const input = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950';

export interface ConnectorFormState {
  ok: boolean;
  message: string;
}

type Kind = 'zeek-folder' | 'defender-storage' | 'graph-hunting';

/** Add a connector: the fields of the chosen kind; secrets are write-only (password fields, never shown again). */
export function ConnectorForm({
  action,
}: {
  action: (state: ConnectorFormState, form: FormData) => Promise<ConnectorFormState>;
}) {
  const [state, formAction, pending] = useActionState(action, { ok: true, message: '' });
  const [kind, setKind] = useState<Kind>('zeek-folder');
  const [credential, setCredential] = useState<'client-secret' | 'certificate'>('client-secret');
  const field = (label: string, name: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <label className="flex min-w-56 flex-col text-xs font-medium">
      {label}
      <input name={name} className={input} {...props} />
    </label>
  );
  return (
    <form
      action={formAction}
      aria-label="Add connector"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <label className="flex flex-col text-xs font-medium">
        Kind
        <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)} className={input}>
          <option value="zeek-folder">Zeek log folder</option>
          <option value="defender-storage">Defender Streaming API → Azure Storage</option>
          <option value="graph-hunting">Microsoft Graph advanced hunting</option>
        </select>
      </label>
      {field('Name', 'name', { required: true, maxLength: 64, placeholder: 'sensor-1' })}
      {kind === 'zeek-folder'
        ? field('Folder', 'path', { required: true, placeholder: '/opt/zeek/logs/current' })
        : null}
      {kind === 'defender-storage' ? (
        <>
          {field('Connection string', 'connectionString', { type: 'password', autoComplete: 'off' })}
          {field('or SAS URL', 'sasUrl', { type: 'password', autoComplete: 'off' })}
          {field('Containers (optional, comma-separated)', 'containers', {
            placeholder: 'insights-logs-advancedhunting-devicenetworkevents',
          })}
        </>
      ) : null}
      {kind === 'graph-hunting' ? (
        <>
          {field('Tenant', 'tenant', { required: true, placeholder: 'contoso.onmicrosoft.com' })}
          {field('Client id', 'clientId', { required: true })}
          <label className="flex flex-col text-xs font-medium">
            Credential
            <select
              name="credential"
              value={credential}
              onChange={(e) => setCredential(e.target.value as typeof credential)}
              className={input}
            >
              <option value="client-secret">Client secret</option>
              <option value="certificate">Certificate</option>
            </select>
          </label>
          {credential === 'client-secret' ? (
            field('Client secret', 'clientSecret', { type: 'password', required: true, autoComplete: 'off' })
          ) : (
            // Write-only like the secret: the PEM is sealed in the secret store and never shown again.
            <label className="flex min-w-96 flex-col text-xs font-medium">
              Certificate and private key (PEM)
              <textarea
                name="clientCertificate"
                required
                rows={4}
                autoComplete="off"
                spellCheck={false}
                placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----BEGIN PRIVATE KEY-----\n…'}
                className={`${input} font-mono`}
              />
            </label>
          )}
          {field('Authority URL (optional)', 'authorityUrl', { placeholder: 'https://login.microsoftonline.com' })}
          {field('Graph URL (optional)', 'graphUrl', { placeholder: 'https://graph.microsoft.com' })}
          <label className="flex items-center gap-2 text-xs font-medium">
            <input type="checkbox" name="pushdown" /> Pushdown (only events towards relay addresses)
          </label>
        </>
      ) : null}
      {field('Every (minutes)', 'interval', { type: 'number', min: 1, max: 1440, defaultValue: 5 })}
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-violet-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-violet-800 disabled:opacity-50"
      >
        {pending ? 'Adding…' : 'Add connector'}
      </button>
      <ActionStatus state={state} className="w-full text-sm" />
    </form>
  );
}
