'use client';

import { useEffect, useRef, useState } from 'react';
import { countryName } from '@/components/hits/countryName';
import { LIST_FILTERS } from '@/lib/hits/filters';
import { useSearchParamUpdater } from './useSearchParamUpdater';

export interface FilterChoices {
  countries: string[];
  actions: string[];
  processes: string[];
}

// The list filters' picker and chip labels and fixed values come from the filter model's one table.
const PICKERS = LIST_FILTERS.filter((f) => f.picker);
const FIXED: Record<string, readonly string[]> = Object.fromEntries(
  LIST_FILTERS.flatMap((f) => ('values' in f ? [[f.key, f.values]] : [])),
);
const CHIP_LABELS: Record<string, string> = {
  ...Object.fromEntries(LIST_FILTERS.map((f) => [f.key, f.chip])),
  relay: 'Relay',
};
const selectClass =
  'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900';

function optionLabel(key: string, value: string): string {
  if (key === 'country') return value === '-' ? '(no country)' : `${value.toUpperCase()} ${countryName(value)}`;
  return value;
}

/** Every hits filter: pickers add values (several per field = any of them), chips remove them, free text is debounced. */
export function HitFilterBar({ choices }: { choices: FilterChoices }) {
  const { update, searchParams } = useSearchParamUpdater();
  const [text, setText] = useState(searchParams.get('q') ?? '');
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const timer = setTimeout(
      () => update((p) => (text.trim() ? p.set('q', text.trim()) : p.delete('q')), { replace: true }),
      350,
    );
    return () => clearTimeout(timer);
  }, [text]); // eslint-disable-line react-hooks/exhaustive-deps -- only a change of the text triggers a search
  const available = (key: string): readonly string[] =>
    FIXED[key] ?? (key === 'country' ? choices.countries : key === 'action' ? choices.actions : choices.processes);
  const add = (key: string, value: string) =>
    value &&
    update((p) => {
      if (!p.getAll(key).includes(value)) p.append(key, value);
    });
  const remove = (key: string, value: string) =>
    update((p) => {
      const rest = p.getAll(key).filter((v) => v !== value);
      p.delete(key);
      for (const v of rest) p.append(key, v);
    });
  const chips = [...searchParams.entries()].filter(([key]) => key in CHIP_LABELS);
  const tri = (key: 'port' | 'exit', label: string) => (
    <label className="flex items-center gap-1 text-sm">
      <span>{label}</span>
      <select
        aria-label={label}
        className={selectClass}
        value={searchParams.get(key) ?? ''}
        onChange={(e) => update((p) => (e.target.value ? p.set(key, e.target.value) : p.delete(key)))}
      >
        <option value="">any</option>
        <option value="true">yes</option>
        <option value="false">no</option>
      </select>
    </label>
  );
  return (
    <section aria-label="Filters" className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <input
          type="search"
          aria-label="Search"
          placeholder="Search device, process, address…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          className={`${selectClass} w-64`}
        />
        {PICKERS.map(({ key, label }) => (
          <select
            key={key}
            aria-label={label}
            className={selectClass}
            value=""
            onChange={(e) => add(key, e.target.value)}
          >
            <option value="">{label}…</option>
            {available(key).map((value) => (
              <option key={value} value={value} disabled={searchParams.getAll(key).includes(value)}>
                {optionLabel(key, value)}
              </option>
            ))}
          </select>
        ))}
        {tri('port', 'Port match')}
        {tri('exit', 'Exit')}
      </div>
      {chips.length ? (
        <ul aria-label="Active filters" className="flex flex-wrap items-center gap-1.5">
          {chips.map(([key, value]) => (
            <li
              key={`${key}=${value}`}
              className="inline-flex items-center gap-1 rounded-full bg-violet-100 py-0.5 pl-2.5 pr-1 text-xs text-violet-900 dark:bg-violet-900/50 dark:text-violet-100"
            >
              <span>
                {CHIP_LABELS[key]}: {optionLabel(key, value)}
              </span>
              <button
                type="button"
                onClick={() => remove(key, value)}
                aria-label={`Remove ${CHIP_LABELS[key]} ${value}`}
                className="rounded-full px-1 hover:bg-violet-200 dark:hover:bg-violet-800"
              >
                ×
              </button>
            </li>
          ))}
          <li>
            <button
              type="button"
              className="text-xs text-violet-700 underline dark:text-violet-300"
              onClick={() =>
                update((p) => {
                  for (const key of [...Object.keys(CHIP_LABELS), 'q', 'port', 'exit']) p.delete(key);
                  setText('');
                })
              }
            >
              Clear filters
            </button>
          </li>
        </ul>
      ) : null}
    </section>
  );
}
