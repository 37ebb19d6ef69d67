'use server';

import { revalidatePath } from 'next/cache';
import { audit } from '@/lib/auth/audit';
import { requireActionRole } from '@/lib/auth/guard';
import { sendJob } from '@/lib/jobs/sendJob';

/** "Run now" on the Jobs page (admins): queues a match run for the worker — incremental, or a full re-match. */
export async function runMatchNow(formData: FormData): Promise<void> {
  const actor = await requireActionRole('admin');
  const mode = formData.get('mode') === 'full' ? 'full' : 'incremental';
  await sendJob('match', { mode, trigger: 'manual' });
  await audit(actor, 'match.run', mode);
  revalidatePath('/jobs');
}
