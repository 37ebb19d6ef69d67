import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import type { HitFilter } from '@/lib/hits/filters';
import { authoriseQuery } from '@/lib/auth/authorise';
import type { HitStatus } from '@/lib/hits/hitValues';

export interface TriageSummary {
  byStatus: Record<HitStatus, number>; // hits whose event lies in the range
  open: number; // new + investigating
  triaged: number; // hits a person triaged within the range
  meanTimeToTriageSeconds: number | null; // from first match to first triage, over those
}

/**
 * The overview's triage card for the filter's time range: hits by status (event time in the range), and the mean time
 * from a hit's first match to a person's first triage decision, over decisions taken in the range. Suppression by rule
 * is not a person's decision and does not count.
 */
export async function getTriageSummary(actor: Actor, filter: HitFilter): Promise<TriageSummary> {
  authoriseQuery(actor, 'viewer');
  const { from, to } = filter.range;
  const pool = getPool();
  const [statuses, triage] = await Promise.all([
    pool.query<{ status: string; hits: number }>(
      `SELECT status, count(*)::int AS hits FROM hit WHERE evidence_valid AND ts >= $1 AND ts < $2 GROUP BY status`,
      [from, to],
    ),
    pool.query<{ triaged: number; mean: number | null }>(
      `SELECT count(*)::int AS triaged, avg(extract(epoch FROM triaged_at - first_matched_at))::float8 AS mean
       FROM hit WHERE triaged_at >= $1 AND triaged_at < $2 AND suppression_rule_id IS NULL`,
      [from, to],
    ),
  ]);
  const byStatus = { new: 0, investigating: 0, true_positive: 0, benign: 0, suppressed: 0 };
  for (const row of statuses.rows) if (row.status in byStatus) byStatus[row.status as keyof typeof byStatus] = row.hits;
  const mean = triage.rows[0].mean;
  return {
    byStatus,
    open: byStatus.new + byStatus.investigating,
    triaged: triage.rows[0].triaged,
    meanTimeToTriageSeconds: mean === null ? null : Math.max(0, mean),
  };
}
