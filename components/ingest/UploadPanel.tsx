'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { formatBytes } from './formatBytes';
import { uploadFile, type UploadOutcome } from './uploadFile';
import { UploadResult } from './UploadResult';
import { TELEMETRY_SOURCES } from '@/lib/ingest/telemetrySources';

interface Entry {
  key: string;
  name: string;
  size: number;
  sent: number;
  state: 'waiting' | 'uploading' | 'loading' | 'done';
  outcome: UploadOutcome | null;
}

const SOURCES = [['auto', 'detect from content'], ...TELEMETRY_SOURCES.map((s) => [s.id, s.label] as const)] as const;

/** Several files, one raw POST each (one batch each), with upload progress per file, then each batch's summary. */
export function UploadPanel({ maxBytes }: { maxBytes: number }) {
  const router = useRouter();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [busy, setBusy] = useState(false);
  const update = (key: string, change: Partial<Entry>) =>
    setEntries((all) => all.map((e) => (e.key === key ? { ...e, ...change } : e)));

  async function start(form: HTMLFormElement) {
    const data = new FormData(form);
    const files = data.getAll('files').filter((f): f is File => f instanceof File && f.name !== '');
    if (files.length === 0) return;
    const source = String(data.get('source') ?? 'auto');
    const strict = data.get('strict') === 'on';
    const queued: Entry[] = files.map((f, i) => ({
      key: `${Date.now()}-${i}`,
      name: f.name,
      size: f.size,
      sent: 0,
      state: 'waiting',
      outcome: null,
    }));
    setEntries(queued);
    setBusy(true);
    for (const [i, file] of files.entries()) {
      const { key } = queued[i];
      if (file.size > maxBytes) {
        update(key, {
          state: 'done',
          outcome: {
            httpStatus: 413,
            summary: null,
            error: `larger than the upload limit of ${formatBytes(maxBytes)}`,
          },
        });
        continue;
      }
      update(key, { state: 'uploading' });
      const outcome = await uploadFile(file, { source, strict }, (sent, total) =>
        update(key, { sent, state: sent >= total ? 'loading' : 'uploading' }),
      );
      update(key, { state: 'done', sent: file.size, outcome });
      router.refresh();
    }
    setBusy(false);
    form.reset();
  }

  return (
    <section
      aria-labelledby="upload-heading"
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id="upload-heading" className="mb-1 text-lg font-medium">
        Upload telemetry
      </h2>
      <p className="mb-3 text-xs text-slate-500">
        DeviceNetworkEvents or DeviceInfo CSV exports, Streaming API JSON, Zeek conn.log (TSV or JSON) — plain or
        gzipped, up to {formatBytes(maxBytes)} each. Each file becomes one batch; rows already stored are skipped.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void start(event.currentTarget);
        }}
        className="flex flex-wrap items-end gap-3"
      >
        <input
          type="file"
          name="files"
          multiple
          required
          aria-label="Telemetry files"
          className="text-sm"
          disabled={busy}
        />
        <label className="flex flex-col text-xs font-medium">
          Format
          <select
            name="source"
            defaultValue="auto"
            className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950"
            disabled={busy}
          >
            {SOURCES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1 pb-2 text-xs">
          <input type="checkbox" name="strict" disabled={busy} /> strict: refuse a file with any rejected row
        </label>
        <button
          disabled={busy}
          className="rounded-md bg-violet-700 px-4 py-2 text-sm font-medium text-white hover:bg-violet-800 disabled:opacity-50"
        >
          {busy ? 'Uploading…' : 'Upload'}
        </button>
      </form>
      {entries.length > 0 ? (
        <ul className="mt-4 flex flex-col gap-3" aria-label="Uploads">
          {entries.map((entry) => (
            <li
              key={entry.key}
              className="rounded-md border border-slate-200 p-3 dark:border-slate-800"
              aria-label={`Upload of ${entry.name}`}
            >
              <div className="flex items-center justify-between gap-3 text-sm">
                <span className="truncate font-medium">{entry.name}</span>
                <span className="shrink-0 text-xs text-slate-500">{stateText(entry)}</span>
              </div>
              <progress
                className="mt-2 h-2 w-full accent-violet-700"
                max={Math.max(entry.size, 1)}
                value={entry.sent}
                aria-label={`${entry.name} progress`}
              />
              {entry.outcome ? <UploadResult name={entry.name} outcome={entry.outcome} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function stateText(entry: Entry): string {
  const share = entry.size > 0 ? Math.round((entry.sent / entry.size) * 100) : 100;
  switch (entry.state) {
    case 'waiting':
      return `waiting · ${formatBytes(entry.size)}`;
    case 'uploading':
      return `${share}% of ${formatBytes(entry.size)}`;
    case 'loading':
      return 'sent, loading into the database…';
    case 'done':
      return entry.outcome?.summary?.status ?? 'failed';
  }
}
