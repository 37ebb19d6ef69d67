'use client';

import { useActionState } from 'react';
import { applyRetentionNow, type RetentionFormState } from './actions';

const initial: RetentionFormState = { error: null, done: null };

export function ApplyRetentionForm({ due }: { due: number }) {
  const [state, action, pending] = useActionState(applyRetentionNow, initial);
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <button
        disabled={pending}
        className="rounded-md bg-violet-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-violet-800 disabled:opacity-50"
      >
        Apply retention now{due ? ` (${due} partition${due === 1 ? '' : 's'})` : ''}
      </button>
      {state.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {state.error}
        </p>
      ) : null}
      {state.done ? (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {state.done}
        </p>
      ) : null}
    </form>
  );
}
