'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { audit } from '@/lib/auth/audit';
import { serverAction } from '@/lib/auth/serverAction';
import { DemoError, loadDemo } from '@/lib/demo/loadDemo';
import type { DemoLoadState } from '@/components/overview/DemoLoader';

/** "Load demo data" on an empty installation (analysts and admins), audited as demo.load. */
export const loadDemoAction = serverAction(
  {
    name: 'loadDemoAction',
    role: 'analyst',
    input: z.unknown(),
    from: (_state: DemoLoadState) => null,
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
