'use server';

import { revalidatePath } from 'next/cache';
import { requireActionRole } from '@/lib/auth/guard';
import { audit } from '@/lib/auth/audit';
import { DemoError, loadDemo } from '@/lib/demo/loadDemo';
import type { DemoLoadState } from '@/components/overview/DemoLoader';

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
