'use client';

import { useState } from 'react';
import { useSearchParamUpdater } from '@/components/filters/useSearchParamUpdater';

export function DeviceSearch({ initial }: { initial: string }) {
  const { update } = useSearchParamUpdater();
  const [text, setText] = useState(initial);
  return (
    <form
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        update((p) => (text.trim() ? p.set('q', text.trim()) : p.delete('q')));
      }}
      className="flex gap-2"
    >
      <input
        type="search"
        aria-label="Search devices"
        placeholder="Device name or id"
        value={text}
        onChange={(e) => setText(e.target.value)}
        className="w-64 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
      />
      <button
        type="submit"
        className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        Search
      </button>
    </form>
  );
}
