'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { audit } from '@/lib/auth/audit';
import { formFields, serverAction } from '@/lib/auth/serverAction';
import { sendJob } from '@/lib/jobs/sendJob';

/** "Run now" on the Jobs page (admins): queues a match run for the worker — incremental, or a full re-match. */
export const runMatchNow = serverAction(
  {
    name: 'runMatchNow',
    role: 'admin',
    input: z.object({ mode: z.enum(['incremental', 'full']).catch('incremental') }),
    from: (form: FormData) => formFields(form),
    fail: () => undefined,
  },
  async ({ actor, input: { mode } }): Promise<void> => {
    await sendJob('match', { mode, trigger: 'manual' });
    await audit(actor, 'match.run', mode);
    revalidatePath('/jobs');
  },
);
