'use server';

import { revalidatePath } from 'next/cache';
import { requireActionRole } from '@/lib/auth/guard';
import { audit } from '@/lib/auth/audit';
import { DemoError, loadDemo } from '@/lib/demo/loadDemo';
import type { DemoLoadState } from '@/components/overview/DemoLoader';
import type { BackfillState } from '@/components/overview/BackfillButton';
import { sendJob } from '@/lib/jobs/sendJob';
import { env } from '@/lib/env';

/** "Load demo data" on an empty installation (analysts and admins), audited as demo.load. */
export async function loadDemoAction(_state: DemoLoadState): Promise<DemoLoadState> {
  const actor = await requireActionRole('analyst');
  try {
    const summary = await loadDemo({ actor: actor.label });
    await audit(actor, 'demo.load', 'demo', summary);
    revalidatePath('/', 'layout');
    return {
      done: `Loaded ${summary.events.toLocaleString('en')} demo events from ${summary.devices} devices: ${summary.hits.toLocaleString('en')} hits.`,
    };
  } catch (error) {
    if (error instanceof DemoError) return { error: error.message };
    throw error;
  }
}

/** "Backfill the gap" (admins): queues the relay-history backfill of the months given, audited. */
export async function backfillRelayHistoryAction(_state: BackfillState, form: FormData): Promise<BackfillState> {
  const actor = await requireActionRole('admin');
  const from = String(form.get('from') ?? '');
  const to = String(form.get('to') ?? '');
  const month = /^\d{4}-(0[1-9]|1[0-2])$/;
  if (!month.test(from) || !month.test(to) || from > to) return { error: 'Months must be YYYY-MM, from ≤ to.' };
  if (env('TORWATCH_OFFLINE'))
    return { error: 'TORWATCH_OFFLINE=1: import the archives with `torwatch relays import <archive.tar.xz>`.' };
  await sendJob('relays-history-backfill', { from, to });
  await audit(actor, 'relays.backfill', `${from}..${to}`, { from, to });
  return { done: `Backfill of ${from === to ? from : `${from} to ${to}`} queued: see the Jobs page.` };
}
