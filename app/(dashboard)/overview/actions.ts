'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { audit } from '@/lib/auth/audit';
import { formFields, serverAction } from '@/lib/auth/serverAction';
import { DemoError, loadDemo } from '@/lib/demo/loadDemo';
import type { DemoLoadState } from '@/components/overview/DemoLoader';
import type { BackfillState } from '@/components/overview/BackfillButton';
import { env } from '@/lib/env';
import { sendJob } from '@/lib/jobs/sendJob';

/** "Load demo data" on an empty installation (analysts and admins), audited as demo.load. */
export const loadDemoAction = serverAction(
  {
    name: 'loadDemoAction',
    role: 'analyst',
    // The form says so explicitly: a call without it (the access matrix's probe) changes nothing.
    input: z.object({ demo: z.literal('load', 'use the "Load demo data" button') }),
    from: (_state: DemoLoadState, form: FormData) => formFields(form),
    fail: (error): DemoLoadState => ({ error }),
    expected: [DemoError],
  },
  async ({ actor }): Promise<DemoLoadState> => {
    const summary = await loadDemo({ actor: actor.label });
    await audit(actor, 'demo.load', 'demo', summary);
    revalidatePath('/', 'layout');
    return {
      done: `Loaded ${summary.events.toLocaleString('en')} demo events from ${summary.devices} devices: ${summary.hits.toLocaleString('en')} hits.`,
    };
  },
);

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** "Backfill the gap" (admins): queues the relay-history backfill of the months given, audited as relays.backfill. */
export const backfillRelayHistoryAction = serverAction(
  {
    name: 'backfillRelayHistoryAction',
    role: 'admin',
    input: z
      .object({ from: z.string().regex(MONTH), to: z.string().regex(MONTH) })
      .refine((months) => months.from <= months.to, 'from must not be after to'),
    from: (_state: BackfillState, form: FormData) => ({ from: form.get('from'), to: form.get('to') }),
    fail: (error): BackfillState => ({ error }),
  },
  async ({ actor, input }): Promise<BackfillState> => {
    const { from, to } = input;
    if (env('TORWATCH_OFFLINE'))
      return { error: 'TORWATCH_OFFLINE is set: import the archives with `torwatch relays import <archive.tar.xz>`.' };
    await sendJob('relays-history-backfill', { from, to });
    await audit(actor, 'relays.backfill', `${from}..${to}`, { from, to });
    return { done: `Backfill of ${from === to ? from : `${from} to ${to}`} queued: see the Jobs page.` };
  },
);
