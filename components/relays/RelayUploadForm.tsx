'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { BUTTON, INPUT } from './relayFormat';

interface UploadAnswer {
  status?: 'imported' | 'unchanged' | 'refused';
  reason?: string;
  error?: string;
  snapshotId?: number;
  relays?: number;
  addresses?: number;
  rejected?: number;
  intervalsAdded?: number;
  intervalsExtended?: number;
}

/** Upload of a relay file (offline installations): the raw file goes to POST /api/v1/relays/import. */
export function RelayUploadForm({ maxMb }: { maxMb: number }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function upload(form: HTMLFormElement) {
    const data = new FormData(form);
    const file = data.get('file');
    if (!(file instanceof File) || file.size === 0)
      return setMessage({ ok: false, text: 'Choose a non-empty file first.' });
    if (file.size > maxMb * 1024 * 1024)
      return setMessage({ ok: false, text: `${file.name} is larger than the ${maxMb} MB limit.` });
    const params = new URLSearchParams({ file: file.name, format: String(data.get('format') ?? 'auto') });
    const observedAt = String(data.get('observedAt') ?? '');
    if (observedAt) params.set('observedAt', observedAt);
    if (data.get('force')) params.set('force', '1');
    setBusy(true);
    setMessage(null);
    try {
      const response = await fetch(`/api/v1/relays/import?${params}`, {
        method: 'POST',
        body: file,
        headers: { 'content-type': 'application/octet-stream' },
      });
      const answer = (await response.json().catch(() => ({ error: `HTTP ${response.status}` }))) as UploadAnswer;
      setMessage(describe(file.name, answer));
      if (answer.status === 'imported') router.refresh();
    } catch (error) {
      setMessage({ ok: false, text: `Upload failed: ${(error as Error).message}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section
      aria-labelledby="upload-heading"
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id="upload-heading" className="mb-1 text-lg font-medium">
        Upload a relay list
      </h2>
      <p className="mb-3 text-xs text-slate-500">
        For offline installations: TorRelayIPs.csv, Onionoo details JSON, a TorDNSEL exit list or a bulk exit list
        (optionally gzipped), up to {maxMb} MB.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void upload(event.currentTarget);
        }}
        className="flex flex-col gap-2"
      >
        <input type="file" name="file" aria-label="Relay file" required className="text-sm" />
        <div className="flex flex-wrap items-end gap-2">
          <label className="flex flex-col text-xs font-medium">
            Format
            <select name="format" defaultValue="auto" className={INPUT}>
              <option value="auto">detect</option>
              <option value="torrelayips-csv">TorRelayIPs.csv</option>
              <option value="onionoo">Onionoo details</option>
              <option value="exit-list">TorDNSEL exit list</option>
              <option value="bulk-exit-list">bulk exit list</option>
            </select>
          </label>
          <label className="flex flex-col text-xs font-medium">
            List was true at (UTC, optional)
            <input name="observedAt" type="datetime-local" step="1" className={INPUT} />
          </label>
          <label className="flex items-center gap-1 pb-2 text-xs">
            <input type="checkbox" name="force" /> import even if implausibly small
          </label>
          <button className={BUTTON} disabled={busy}>
            {busy ? 'Importing…' : 'Upload'}
          </button>
        </div>
      </form>
      {message ? (
        <p
          role="status"
          className={`mt-3 text-sm ${message.ok ? 'text-emerald-800 dark:text-emerald-300' : 'text-red-700 dark:text-red-400'}`}
        >
          {message.text}
        </p>
      ) : null}
    </section>
  );
}

function describe(name: string, answer: UploadAnswer): { ok: boolean; text: string } {
  if (answer.error) return { ok: false, text: `${name}: ${answer.error}` };
  if (answer.status === 'refused') return { ok: false, text: `Refused, previous data kept: ${answer.reason}` };
  const counts = `${answer.relays} relays, ${answer.addresses} addresses, ${answer.rejected} rejected rows`;
  if (answer.status === 'unchanged')
    return { ok: true, text: `${name}: already imported (snapshot ${answer.snapshotId}); nothing changed.` };
  return {
    ok: true,
    text: `${name}: imported as snapshot ${answer.snapshotId} — ${counts}; ${answer.intervalsAdded} new and ${answer.intervalsExtended} extended address intervals.`,
  };
}
