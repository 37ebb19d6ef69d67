'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { audit } from '@/lib/auth/audit';
import { formFields, serverAction } from '@/lib/auth/serverAction';
import { DemoError, loadDemo } from '@/lib/demo/loadDemo';
import type { DemoLoadState } from '@/components/overview/DemoLoader';

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
