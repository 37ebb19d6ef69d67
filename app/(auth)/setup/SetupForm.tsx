'use client';

import { useActionState } from 'react';
import { createFirstAdmin, type SetupState } from './actions';

const inputClass =
  'mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950';

export function SetupForm({ minLength }: { minLength: number }) {
  const [state, action, pending] = useActionState<SetupState, FormData>(createFirstAdmin, { error: null });
  return (
    <form action={action} className="flex flex-col gap-4">
      <label className="text-sm font-medium">
        Setup token
        <input name="token" required autoComplete="off" spellCheck={false} className={`${inputClass} font-mono`} />
      </label>
      <label className="text-sm font-medium">
        Admin e-mail
        <input name="email" type="email" required autoComplete="username" className={inputClass} />
      </label>
      <label className="text-sm font-medium">
        Password <span className="font-normal text-slate-500">(at least {minLength} characters)</span>
        <input
          name="password"
          type="password"
          required
          minLength={minLength}
          autoComplete="new-password"
          className={inputClass}
        />
      </label>
      <label className="text-sm font-medium">
        Password again
        <input
          name="confirm"
          type="password"
          required
          minLength={minLength}
          autoComplete="new-password"
          className={inputClass}
        />
      </label>
      {state.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {state.error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-violet-700 px-4 py-2 text-sm font-medium text-white hover:bg-violet-800 disabled:opacity-60"
      >
        {pending ? 'Creating…' : 'Create admin'}
      </button>
    </form>
  );
}
