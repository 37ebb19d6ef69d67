'use server';

import { revalidatePath } from 'next/cache';
import { audit } from '@/lib/auth/audit';
import { requireActionRole } from '@/lib/auth/guard';
import { getPrisma } from '@/lib/db/client';
import { applySchedule, ScheduleError } from '@/lib/jobs/applySchedule';
import { ALL_QUEUES } from '@/lib/jobs/queues';
import { FeedUrlError, setFeedUrl } from '@/lib/relays/feedUrl';

export interface ScheduleFormState {
  error: string | null;
  done: string | null;
}

/** Saves one queue's cron (`intent` = save | default | never) and applies it to the running worker. */
export async function saveSchedule(_previous: ScheduleFormState, form: FormData): Promise<ScheduleFormState> {
  const actor = await requireActionRole('admin');
  const queue = String(form.get('queue') ?? '');
  const intent = String(form.get('intent') ?? 'save');
  const definition = ALL_QUEUES.find((candidate) => candidate.name === queue);
  if (!definition) return { error: `Unknown queue "${queue}".`, done: null };
  const cron =
    intent === 'never' ? null : intent === 'default' ? definition.defaultCron : String(form.get('cron') ?? '').trim();
  if (intent === 'save' && !cron) return { error: 'Enter a cron expression, or choose "Never".', done: null };
  try {
    const applied = await applySchedule(queue, cron, actor.label);
    await audit(actor, 'settings.schedule', queue, { cron });
    revalidatePath('/settings/schedules');
    revalidatePath('/relays');
    const what = cron ? `runs on "${cron}" (UTC)` : 'no longer runs on a schedule';
    return {
      error: null,
      done: `${queue} ${what}${applied ? '' : ' — saved; the worker applies it when it next starts'}.`,
    };
  } catch (error) {
    if (error instanceof ScheduleError)
      return { error: `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.`, done: null };
    throw error;
  }
}

/** Enables or disables a relay feed: a disabled feed's scheduled fetches are skipped. */
export async function setFeedEnabled(_previous: ScheduleFormState, form: FormData): Promise<ScheduleFormState> {
  const actor = await requireActionRole('admin');
  const name = String(form.get('feed') ?? '');
  const enabled = form.get('enabled') === 'true';
  const updated = await getPrisma().relayFeed.updateMany({ where: { name, url: { not: null } }, data: { enabled } });
  if (updated.count === 0) return { error: `Unknown feed "${name}".`, done: null };
  await audit(actor, 'settings.feed', name, { enabled });
  revalidatePath('/settings/schedules');
  revalidatePath('/relays');
  return { error: null, done: `${name} ${enabled ? 'enabled' : 'disabled'}.` };
}

/** Sets where a feed downloads from (`intent` = save | default); the next fetch uses it. */
export async function saveFeedUrl(_previous: ScheduleFormState, form: FormData): Promise<ScheduleFormState> {
  const actor = await requireActionRole('admin');
  const name = String(form.get('feed') ?? '');
  const value = form.get('intent') === 'default' ? null : String(form.get('url') ?? '');
  try {
    const url = await setFeedUrl(actor, name, value);
    revalidatePath('/settings/schedules');
    revalidatePath('/relays');
    return { error: null, done: `${name} fetches from ${url}.` };
  } catch (error) {
    if (error instanceof FeedUrlError)
      return { error: `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.`, done: null };
    throw error;
  }
}
