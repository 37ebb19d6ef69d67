'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { serverAction } from '@/lib/auth/serverAction';
import { applyRetention } from '@/lib/retention/applyRetention';

export interface RetentionFormState {
  error: string | null;
  done: string | null;
}

/** Applies retention now, as the daily job does (admin; recorded in the audit log even when nothing goes). */
export const applyRetentionNow = serverAction(
  {
    name: 'applyRetentionNow',
    role: 'admin',
    input: z.object({}),
    from: () => ({}),
    fail: (error: string): RetentionFormState => ({ error, done: null }),
  },
  async ({ actor }): Promise<RetentionFormState> => {
    const outcome = await applyRetention({ dryRun: false, actor, trigger: 'settings' });
    revalidatePath('/settings/retention');
    const what = outcome.dropped.map((p) => `${p.table} ${p.month}`).join(', ');
    return { error: null, done: outcome.dropped.length ? `Dropped ${what}.` : 'Nothing is due to go.' };
  },
);
