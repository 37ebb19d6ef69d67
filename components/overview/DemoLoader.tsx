'use client';

import { useActionState } from 'react';

export interface DemoLoadState {
  error?: string;
  done?: string;
}

/** "Load demo data" on an empty installation: runs the server action and says what happened. */
export function DemoLoader({ action }: { action: (state: DemoLoadState, form: FormData) => Promise<DemoLoadState> }) {
  const [state, run, pending] = useActionState(action, {});
  return (
    <form action={run} className="mt-4 flex flex-col items-center gap-2">
      <input type="hidden" name="demo" value="load" />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md border border-violet-700 px-4 py-2 text-sm font-medium text-violet-800 hover:bg-violet-50 disabled:opacity-60 dark:text-violet-200 dark:hover:bg-violet-950"
      >
        {pending ? 'Loading demo data… (about a minute)' : 'Load demo data'}
      </button>
      <p className="text-xs">
        Adds clearly labelled sample relays, ~200 demo-… devices and 30 days of telemetry; remove it with{' '}
        <code>torwatch demo --purge</code>.
      </p>
      {state.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {state.error}
        </p>
      ) : null}
      {state.done ? (
        <p role="status" className="text-sm">
          {state.done}
        </p>
      ) : null}
    </form>
  );
}
