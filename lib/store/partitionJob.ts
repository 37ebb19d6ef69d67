import { getPool } from '@/lib/db/pool';
import type { JobHandler } from '@/lib/jobs/jobHandler';
import { ensureMonthPartitions } from './partitions';

/** Months created ahead by the worker (docs/architecture.md §4.6); ingest creates any other month it needs itself. */
export const MONTHS_AHEAD = 2;

/** event-partitions (daily): this month's partition and the next MONTHS_AHEAD months' exist before events arrive. */
export const eventPartitionsJob: JobHandler = async () => {
  const now = new Date();
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + MONTHS_AHEAD, 1));
  return { created: await ensureMonthPartitions(getPool(), now, last) };
};
