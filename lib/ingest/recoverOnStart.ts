import { getPool } from '@/lib/db/pool';
import { recoverInterruptedBatches } from './ingestBatchRow';

/** Startup hook: batches left `running` by a killed ingest are marked failed (none of their rows was kept). */
export async function recoverInterruptedIngests(log: (line: string) => void): Promise<void> {
  const ids = await recoverInterruptedBatches(getPool());
  if (ids.length > 0)
    log(`ingest: ${ids.length} interrupted batch(es) marked failed (ids ${ids.join(', ')}); ingest those files again`);
}
