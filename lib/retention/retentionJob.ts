import type { JobHandler } from '@/lib/jobs/jobHandler';
import { applyRetention } from './applyRetention';

/** The `retention` queue (daily by default): applies retention as `torwatch retention apply` does. */
export const retentionJob: JobHandler = async () => {
  const outcome = await applyRetention({ dryRun: false, actor: null, trigger: 'schedule' });
  return { dropped: outcome.dropped.map((p) => `${p.table} ${p.month}`) };
};
