'use client';

import { useState } from 'react';
import { RANGE_PRESETS, type TimeZoneMode } from '@/lib/time/ranges';
import { browserTimeZone } from '@/lib/time/zones';
import { useSearchParamUpdater } from './useSearchParamUpdater';

const LABELS: Record<string, string> = { '24h': '24 h', '7d': '7 d', '30d': '30 d', '90d': '90 d' };
const buttonClass = (active: boolean) =>
  `px-2.5 py-1 text-sm focus-visible:outline-2 focus-visible:outline-violet-600 ${active ? 'bg-violet-700 text-white' : 'bg-white hover:bg-slate-100 dark:bg-slate-900 dark:hover:bg-slate-800'}`;

/** "datetime-local" input text for an ISO time, in UTC or the browser's zone. */
function toInput(iso: string | undefined, tz: TimeZoneMode): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (tz === 'utc') return date.toISOString().slice(0, 16);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function fromInput(text: string, tz: TimeZoneMode): string {
  return (tz === 'utc' ? new Date(`${text}:00Z`) : new Date(text)).toISOString();
}

/** Presets 24 h / 7 d / 30 d / 90 d or a custom range, and UTC or local display — all kept in the URL. */
export function RangePicker({ range, from, to, tz }: { range: string; from?: string; to?: string; tz: TimeZoneMode }) {
  const { update, pending } = useSearchParamUpdater();
  const [custom, setCustom] = useState(range === 'custom');
  const [fromText, setFromText] = useState(toInput(from, tz));
  const [toText, setToText] = useState(toInput(to, tz));
  const choosePreset = (preset: string) => {
    setCustom(false);
    update((p) => {
      p.delete('from');
      p.delete('to');
      if (preset === '30d') p.delete('range');
      else p.set('range', preset);
    });
  };
  const applyCustom = (event: React.FormEvent) => {
    event.preventDefault();
    if (!fromText) return;
    update((p) => {
      p.set('range', 'custom');
      p.set('from', fromInput(fromText, tz));
      if (toText) p.set('to', fromInput(toText, tz));
      else p.delete('to');
    });
  };
  return (
    <div className="flex flex-wrap items-center gap-3" aria-busy={pending}>
      <div
        role="group"
        aria-label="Time range"
        className="inline-flex overflow-hidden rounded-md border border-slate-300 dark:border-slate-700"
      >
        {RANGE_PRESETS.map((preset) => (
          <button
            key={preset}
            type="button"
            aria-pressed={!custom && range === preset}
            className={buttonClass(!custom && range === preset)}
            onClick={() => choosePreset(preset)}
          >
            {LABELS[preset]}
          </button>
        ))}
        <button type="button" aria-pressed={custom} className={buttonClass(custom)} onClick={() => setCustom(true)}>
          Custom
        </button>
      </div>
      {custom ? (
        <form onSubmit={applyCustom} className="flex flex-wrap items-center gap-2 text-sm">
          <label className="flex items-center gap-1">
            From
            <input
              type="datetime-local"
              required
              value={fromText}
              onChange={(e) => setFromText(e.target.value)}
              className="rounded border border-slate-300 bg-white px-1.5 py-0.5 dark:border-slate-700 dark:bg-slate-900"
            />
          </label>
          <label className="flex items-center gap-1">
            To
            <input
              type="datetime-local"
              value={toText}
              onChange={(e) => setToText(e.target.value)}
              className="rounded border border-slate-300 bg-white px-1.5 py-0.5 dark:border-slate-700 dark:bg-slate-900"
            />
          </label>
          <button type="submit" className="rounded-md bg-violet-700 px-2.5 py-1 text-white hover:bg-violet-800">
            Apply
          </button>
        </form>
      ) : null}
      <div
        role="group"
        aria-label="Time zone"
        className="inline-flex overflow-hidden rounded-md border border-slate-300 text-xs dark:border-slate-700"
      >
        {(['utc', 'local'] as const).map((mode) => (
          <button
            key={mode}
            type="button"
            aria-pressed={tz === mode}
            className={buttonClass(tz === mode)}
            onClick={() =>
              // Local time also names the browser's zone, so the server cuts trend buckets there (issue 17).
              update(
                (p) => {
                  if (mode === 'utc') {
                    p.delete('tz');
                    p.delete('zone');
                  } else {
                    p.set('tz', mode);
                    p.set('zone', browserTimeZone());
                  }
                },
                { keepPage: true, replace: true },
              )
            }
          >
            {mode === 'utc' ? 'UTC' : 'Local time'}
          </button>
        ))}
      </div>
      {pending ? (
        <span className="text-xs text-slate-500" role="status">
          Updating…
        </span>
      ) : null}
    </div>
  );
}
