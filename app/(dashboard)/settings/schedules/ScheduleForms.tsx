'use client';

import { useActionState } from 'react';
import { saveFeedUrl, saveSchedule, setFeedEnabled, type ScheduleFormState } from './actions';

const input =
  'rounded-md border border-slate-300 bg-white px-2 py-1.5 font-mono text-sm dark:border-slate-700 dark:bg-slate-950';
const button =
  'rounded-md border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800';
const initial: ScheduleFormState = { error: null, done: null };

function Message({ state }: { state: ScheduleFormState }) {
  if (state.error)
    return (
      <p role="alert" className="text-xs text-red-700 dark:text-red-400">
        {state.error}
      </p>
    );
  if (state.done)
    return (
      <p role="status" className="text-xs text-emerald-700 dark:text-emerald-400">
        {state.done}
      </p>
    );
  return null;
}

export function ScheduleForm({
  queue,
  cron,
  defaultCron,
}: {
  queue: string;
  cron: string | null;
  defaultCron: string | null;
}) {
  const [state, action, pending] = useActionState(saveSchedule, initial);
  return (
    <form action={action} aria-label={`Schedule of ${queue}`} className="flex flex-col gap-1">
      <input type="hidden" name="queue" value={queue} />
      <div className="flex flex-wrap items-center gap-2">
        <input
          name="cron"
          defaultValue={cron ?? ''}
          placeholder="minute hour day month weekday"
          aria-label={`Cron expression for ${queue}`}
          className={`${input} w-44`}
        />
        <button name="intent" value="save" disabled={pending} className={button}>
          Save
        </button>
        {defaultCron ? (
          <button name="intent" value="default" disabled={pending} className={button}>
            Default ({defaultCron})
          </button>
        ) : null}
        <button name="intent" value="never" disabled={pending} className={button}>
          Never
        </button>
      </div>
      <Message state={state} />
    </form>
  );
}

export function FeedToggle({ feed, enabled }: { feed: string; enabled: boolean }) {
  const [state, action, pending] = useActionState(setFeedEnabled, initial);
  return (
    <form action={action} aria-label={`${enabled ? 'Disable' : 'Enable'} ${feed}`} className="flex flex-col gap-1">
      <input type="hidden" name="feed" value={feed} />
      <input type="hidden" name="enabled" value={enabled ? 'false' : 'true'} />
      <button disabled={pending} className={button}>
        {enabled ? 'Disable' : 'Enable'}
      </button>
      <Message state={state} />
    </form>
  );
}

export function FeedUrlForm({ feed, url }: { feed: string; url: string }) {
  const [state, action, pending] = useActionState(saveFeedUrl, initial);
  return (
    <form action={action} aria-label={`URL of ${feed}`} className="flex flex-col gap-1">
      <input type="hidden" name="feed" value={feed} />
      <div className="flex flex-wrap items-center gap-2">
        <input
          name="url"
          type="url"
          required
          defaultValue={url}
          aria-label={`URL for ${feed}`}
          className={`${input} w-full min-w-64 text-xs`}
        />
        <button name="intent" value="save" disabled={pending} className={button}>
          Save
        </button>
        <button name="intent" value="default" formNoValidate disabled={pending} className={button}>
          Default
        </button>
      </div>
      <Message state={state} />
    </form>
  );
}
