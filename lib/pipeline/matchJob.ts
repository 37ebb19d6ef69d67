import type { JobHandler } from '@/lib/jobs/jobHandler';
import type { MatchMode } from '@/lib/match/runMatch';
import { runMatchPipeline } from './runMatchPipeline';

// The `match` queue: scheduled every 5 minutes, and queued after each ingest batch and relay refresh.
export const matchJob: JobHandler = async (data) => {
  const mode: MatchMode = data.mode === 'full' || data.mode === 'retro' ? data.mode : 'incremental';
  return runMatchPipeline({ mode, trigger: typeof data.trigger === 'string' ? data.trigger : 'schedule' });
};
