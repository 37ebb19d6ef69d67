'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { audit } from '@/lib/auth/audit';
import { ActionError, formFields, serverAction } from '@/lib/auth/serverAction';
import { getPrisma } from '@/lib/db/client';
import { applySchedule, ScheduleError } from '@/lib/jobs/applySchedule';
import { ALL_QUEUES } from '@/lib/jobs/queues';
import { FeedUrlError, setFeedUrl } from '@/lib/relays/feedUrl';

export interface ScheduleFormState {
  error: string | null;
  done: string | null;
}

const fail = (error: string): ScheduleFormState => ({ error, done: null });

/** Saves one queue's cron (`intent` = save | default | never) and applies it to the running worker. */
export const saveSchedule = serverAction(
  {
    name: 'saveSchedule',
    role: 'admin',
    input: z.object({
      queue: z.string().max(100).default(''),
      intent: z.enum(['save', 'default', 'never']).default('save'),
      cron: z.string().max(200).default(''),
    }),
    from: (_previous: ScheduleFormState, form: FormData) => formFields(form),
    fail,
    expected: [ScheduleError],
  },
  async ({ actor, input }): Promise<ScheduleFormState> => {
    const definition = ALL_QUEUES.find((candidate) => candidate.name === input.queue);
    if (!definition) throw new ActionError(`Unknown queue "${input.queue}".`);
    const cron =
      input.intent === 'never' ? null : input.intent === 'default' ? definition.defaultCron : input.cron.trim();
    if (input.intent === 'save' && !cron) throw new ActionError('Enter a cron expression, or choose "Never".');
    const applied = await applySchedule(input.queue, cron, actor.label);
    await audit(actor, 'settings.schedule', input.queue, { cron });
    revalidatePath('/settings/schedules');
    revalidatePath('/relays');
    const what = cron ? `runs on "${cron}" (UTC)` : 'no longer runs on a schedule';
    return {
      error: null,
      done: `${input.queue} ${what}${applied ? '' : ' — saved; the worker applies it when it next starts'}.`,
    };
  },
);

/** Enables or disables a relay feed: a disabled feed's scheduled fetches are skipped. */
export const setFeedEnabled = serverAction(
  {
    name: 'setFeedEnabled',
    role: 'admin',
    input: z.object({ feed: z.string().max(100).default(''), enabled: z.string().optional() }),
    from: (_previous: ScheduleFormState, form: FormData) => formFields(form),
    fail,
  },
  async ({ actor, input }): Promise<ScheduleFormState> => {
    const enabled = input.enabled === 'true';
    const updated = await getPrisma().relayFeed.updateMany({
      where: { name: input.feed, url: { not: null } },
      data: { enabled },
    });
    if (updated.count === 0) throw new ActionError(`Unknown feed "${input.feed}".`);
    await audit(actor, 'settings.feed', input.feed, { enabled });
    revalidatePath('/settings/schedules');
    revalidatePath('/relays');
    return { error: null, done: `${input.feed} ${enabled ? 'enabled' : 'disabled'}.` };
  },
);

/** Sets where a feed downloads from (`intent` = save | default); the next fetch uses it. */
export const saveFeedUrl = serverAction(
  {
    name: 'saveFeedUrl',
    role: 'admin',
    input: z.object({
      feed: z.string().max(100).default(''),
      intent: z.string().optional(),
      url: z.string().max(2048).default(''),
    }),
    from: (_previous: ScheduleFormState, form: FormData) => formFields(form),
    fail,
    expected: [FeedUrlError],
  },
  async ({ actor, input }): Promise<ScheduleFormState> => {
    const url = await setFeedUrl(actor, input.feed, input.intent === 'default' ? null : input.url);
    revalidatePath('/settings/schedules');
    revalidatePath('/relays');
    return { error: null, done: `${input.feed} fetches from ${url}.` };
  },
);
