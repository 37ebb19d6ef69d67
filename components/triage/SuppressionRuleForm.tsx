'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { createSuppressionRuleAction, type RuleFormState } from '@/lib/triage/actions';

const input =
  'w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950';

export interface RuleCriterionField {
  name: string; // a SuppressionRuleInput key
  label: string;
  value: string;
  checked: boolean; // part of the rule by default
  hint?: string;
}

/** The rule form: each criterion has a "use" box, so a rule pre-filled from a hit can be narrowed or widened. */
export function SuppressionRuleForm({
  fields,
  returnTo,
  hitLabel,
}: {
  fields: RuleCriterionField[];
  returnTo: string;
  hitLabel?: string;
}) {
  const [state, action, pending] = useActionState<RuleFormState, FormData>(createSuppressionRuleAction, {
    ok: true,
    message: '',
  });
  const value = (name: string, fallback: string) => state.values?.[name] ?? fallback;
  return (
    <form
      action={action}
      aria-label="New suppression rule"
      className="flex max-w-3xl flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900"
    >
      {hitLabel ? (
        <p className="text-slate-600 dark:text-slate-400">
          Pre-filled from {hitLabel}. Tick what makes hits “like this”; a hit must match every ticked criterion.
        </p>
      ) : null}
      <input type="hidden" name="returnTo" value={returnTo} />
      <fieldset className="grid grid-cols-[auto_10rem_1fr] items-center gap-x-3 gap-y-2">
        <legend className="mb-2 font-medium">Criteria</legend>
        {fields.map((f) => (
          <div key={f.name} className="contents">
            <input
              type="checkbox"
              id={`use-${f.name}`}
              name={`use-${f.name}`}
              defaultChecked={state.values ? state.values[`use-${f.name}`] === 'on' : f.checked}
            />
            <label htmlFor={`use-${f.name}`}>{f.label}</label>
            <div>
              <input
                name={f.name}
                aria-label={`${f.label} value`}
                defaultValue={value(f.name, f.value)}
                className={input}
              />
              {f.hint ? <p className="text-xs text-slate-500">{f.hint}</p> : null}
            </div>
          </div>
        ))}
      </fieldset>
      <label className="flex flex-col gap-1 font-medium">
        Reason (required)
        <input
          name="reason"
          required
          minLength={3}
          maxLength={500}
          defaultValue={value('reason', '')}
          placeholder="e.g. Research lab: Tor Browser is sanctioned (ticket SEC-1234)"
          className={input}
        />
      </label>
      <label className="flex w-56 flex-col gap-1 font-medium">
        Expires (optional)
        <input name="expiresAt" type="date" defaultValue={value('expiresAt', '')} className={input} />
      </label>
      {!state.ok ? (
        <p role="alert" className="text-red-700 dark:text-red-400">
          {state.message}
        </p>
      ) : null}
      <div className="flex items-center gap-3">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-violet-700 px-3 py-1.5 font-medium text-white hover:bg-violet-800 disabled:opacity-60"
        >
          Create rule and suppress matching open hits
        </button>
        <Link href={returnTo} className="text-slate-600 underline dark:text-slate-400">
          Cancel
        </Link>
      </div>
      <p className="text-xs text-slate-500">
        The rule suppresses matching hits that are new or under investigation now, and every matching hit future match
        runs find, until it expires. Suppressed hits stay searchable with the status filter.
      </p>
    </form>
  );
}
