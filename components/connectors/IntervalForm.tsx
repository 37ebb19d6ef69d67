'use client';

import { useActionState } from 'react';
import type { ConnectorFormState } from './ConnectorForm';
import { ActionStatus } from '@/components/forms/ActionStatus';

const input =
  'w-16 rounded border border-slate-300 bg-white px-1 py-0.5 text-xs dark:border-slate-700 dark:bg-slate-950';
const button = 'rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700';

/** Edit how often a connector runs: 1 to 1440 minutes, checked again on the server (validInterval). */
export function IntervalForm({
  id,
  name,
  minutes,
  action,
}: {
  id: number;
  name: string;
  minutes: number;
  action: (state: ConnectorFormState, form: FormData) => Promise<ConnectorFormState>;
}) {
  const [state, formAction, pending] = useActionState(action, { ok: true, message: '' });
  return (
    <form action={formAction} aria-label={`Interval of ${name}`} className="mt-1 flex flex-wrap items-center gap-1">
      <input type="hidden" name="id" value={id} />
      <label className="flex items-center gap-1 text-xs font-normal text-slate-500">
        every
        <input
          name="minutes"
          type="number"
          min={1}
          max={1440}
          step={1}
          defaultValue={minutes}
          aria-label={`Minutes between runs of ${name}`}
          className={input}
        />
        min
      </label>
      <button type="submit" disabled={pending} className={button}>
        {pending ? 'Saving…' : 'Save'}
      </button>
      <ActionStatus state={state} className="text-xs" />
    </form>
  );
}
