'use client';

import { useActionState } from 'react';
import { createToken, type TokenFormState } from './actions';

const input = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950';

export function CreateTokenForm() {
  const [state, action, pending] = useActionState<TokenFormState, FormData>(createToken, {
    error: null,
    secret: null,
    name: null,
  });
  return (
    <div className="flex flex-col gap-3">
      <form
        action={action}
        aria-label="Create token"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
      >
        <label className="flex flex-col text-xs font-medium">
          Name
          <input name="name" required maxLength={100} placeholder="e.g. defender-export-job" className={input} />
        </label>
        <label className="flex flex-col text-xs font-medium">
          Scope
          <select name="scope" defaultValue="ingest" className={input}>
            <option value="ingest">ingest</option>
            <option value="read">read</option>
            <option value="triage">triage</option>
            <option value="relays">relays</option>
          </select>
        </label>
        <label className="flex flex-col text-xs font-medium">
          Expires (optional)
          <input name="expires" type="date" className={input} />
        </label>
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-violet-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-violet-800 disabled:opacity-60"
        >
          Create token
        </button>
        {state.error ? (
          <p role="alert" className="basis-full text-sm text-red-700 dark:text-red-400">
            {state.error}
          </p>
        ) : null}
      </form>
      {state.secret ? (
        <div
          role="status"
          className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-700 dark:bg-amber-950"
        >
          <p className="font-medium">Token “{state.name}” — copy it now, it is shown only once:</p>
          <code
            data-testid="new-token"
            className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono dark:bg-slate-900"
          >
            {state.secret}
          </code>
          <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
            Send it as <code>Authorization: Bearer &lt;token&gt;</code>.
          </p>
        </div>
      ) : null}
    </div>
  );
}
