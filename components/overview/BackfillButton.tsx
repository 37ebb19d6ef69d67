'use client';

import { useActionState } from 'react';

export interface BackfillState {
  error?: string;
  done?: string;
}

/** Queues the relay-history backfill of a range of months (admins). */
export function BackfillButton({
  action,
  from,
  to,
}: {
  action: (state: BackfillState, form: FormData) => Promise<BackfillState>;
  from: string;
  to: string;
}) {
  const [state, run, pending] = useActionState(action, {});
  return (
    <form action={run} className="mt-2 flex flex-wrap items-center gap-3">
      <input type="hidden" name="from" value={from} />
      <input type="hidden" name="to" value={to} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md border border-violet-700 px-3 py-1.5 text-sm font-medium text-violet-800 hover:bg-violet-50 disabled:opacity-60 dark:text-violet-200 dark:hover:bg-violet-950"
      >
        {pending ? 'Queuing…' : `Backfill ${from === to ? from : `${from} to ${to}`}`}
      </button>
      {state.error ? (
        <span role="alert" className="text-sm text-red-700 dark:text-red-400">
          {state.error}
        </span>
      ) : null}
      {state.done ? <span role="status">{state.done}</span> : null}
    </form>
  );
}
