import type { PoolClient } from 'pg';
import { takeMatchLock } from '@/lib/db/matchLock';
import { getPool } from '@/lib/db/pool';
import { consensusGraceHours, GRACE_SQL, graceHours } from './grace';
import { eventLayout } from '@/lib/db/distributed';
import { CANDIDATE_PROBE_RESET, CANDIDATE_PROBE_SETTINGS, matchedEventsSql, UPSERT_HITS_SQL } from './matchSql';
import { afterMatchSteps, type HitPlacement, type NamedAfterMatchStep } from './afterMatch';
import { candidateSummariesSql, MATCHED_SUMMARIES_SQL, UPSERT_SUMMARY_HITS_SQL } from './summaryMatch';

// A match run (docs/architecture.md §7.2). Each mode runs in one transaction under one advisory lock, so two runs never
// overlap, a killed run leaves nothing half-done, and running twice creates nothing new.
//  - incremental: events of committed ingest batches not matched yet (matched_at IS NULL — a watermark that survives
//    restarts and is safe with concurrent ingests, because a batch becomes visible only when it commits), plus
//    retro work: older events in the time that relay-address intervals newly cover since a run last examined them
//    (relay_address.matched_from/matched_to hold the examined bounds);
//  - retro: the same (relay refreshes queue it; whatever is pending of either kind is done);
//  - full: every event; hits whose evidence has gone are marked evidence_valid = false (kept, never deleted).
// Every mode also matches the hourly summaries of the months whose raw events retention dropped (summaryMatch.ts,
// §16.3), writing hits of precision 'hour'.

export type MatchMode = 'incremental' | 'retro' | 'full';

export interface MatchResult {
  runId: number;
  mode: MatchMode;
  eventsScanned: number;
  hitsNew: number;
  hitsUpdated: number;
  hitsRetired: number;
  durationMs: number;
}

/**
 * `afterMatch`: the steps to run in the run's transaction once the hits are written, in order. Callers outside tests
 * use runMatchPipeline (lib/pipeline), which passes the product's steps; `[]` is the matching engine alone.
 */
export async function runMatch(options: {
  mode: MatchMode;
  trigger?: string;
  afterMatch: readonly NamedAfterMatchStep[];
  placement?: HitPlacement;
}): Promise<MatchResult> {
  const pool = getPool();
  const started = Date.now();
  await pool.query(`UPDATE match_run SET status = 'failed', error = 'interrupted', finished_at = now()
                    WHERE status = 'running' AND started_at < now() - interval '6 hours'`);
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO match_run (mode, trigger) VALUES ($1, $2) RETURNING id`,
    [options.mode, options.trigger ?? null],
  );
  const runId = rows[0].id;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await takeMatchLock(client);
    // The run's statements touch thousands of rows through indexes; the planner's cost estimates (the run's temp
    // tables have no statistics) still cross the JIT thresholds, and compiling then costs more than it saves.
    await client.query('SET LOCAL jit = off');
    const result = await matchInTransaction(client, runId, options.mode, options.placement);
    Object.assign(result.steps, await afterMatchSteps(client, runId, options.afterMatch));
    const committing = performance.now();
    await client.query('COMMIT');
    result.steps.COMMIT = Math.round(performance.now() - committing);
    const durationMs = Date.now() - started;
    await pool.query(
      `UPDATE match_run SET status = 'ok', finished_at = now(), events_scanned = $2, hits_new = $3, hits_updated = $4,
              hits_retired = $5, details = $6 WHERE id = $1`,
      [
        runId,
        result.eventsScanned,
        result.hitsNew,
        result.hitsUpdated,
        result.hitsRetired,
        { durationMs, graceHours: graceHours(), consensusGraceHours: consensusGraceHours(), steps: result.steps },
      ],
    );
    const { steps: _steps, ...counts } = result;
    return { runId, mode: options.mode, ...counts, durationMs };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    await pool.query(`UPDATE match_run SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1`, [
      runId,
      (error as Error).message.slice(0, 2000),
    ]);
    throw error;
  } finally {
    client.release();
  }
}

async function matchInTransaction(
  rawClient: PoolClient,
  runId: number,
  mode: MatchMode,
  placement: HitPlacement | undefined,
) {
  const steps: Record<string, number> = {};
  // Per-statement timings go into match_run.details, so an operator can see where a slow run spends its time.
  const client = {
    query: async <R extends Record<string, unknown> = Record<string, unknown>>(sql: string, values?: unknown[]) => {
      const start = performance.now();
      const result = await rawClient.query<R>(sql, values);
      const name = sql.trim().split(/\s+/).slice(0, 3).join(' ');
      steps[name] = Math.round((steps[name] ?? 0) + performance.now() - start);
      return result;
    },
  };
  const grace = `${graceHours()} hours`;
  const consensusGrace = `${consensusGraceHours()} hours`;
  // The batches this run covers, fixed now: one that commits while we work waits for the next run.
  const batches = (
    await client.query<{ id: number }>(
      `SELECT id FROM ingest_batch WHERE status = 'committed' AND matched_at IS NULL FOR UPDATE`,
    )
  ).rows.map((r) => r.id);
  // The intervals whose examined bounds change with this run (every mode examines each interval's current bounds),
  // copied so that marking them examined records exactly these bounds even if a relay import changes them meanwhile
  // (the next run then sees the difference). Intervals already examined as they are need no mark.
  await client.query(`
    CREATE TEMP TABLE examined_interval ON COMMIT DROP AS
    SELECT id, ip, evidence, valid_from, valid_to, matched_from, matched_to FROM relay_address
    WHERE matched_from IS DISTINCT FROM valid_from OR matched_to IS DISTINCT FROM valid_to`);
  let eventsScanned: number;
  if (mode === 'full') {
    // Every stored event came in a committed batch, whose `events_inserted` counts it: cheaper than counting the table.
    eventsScanned = Number(
      (await client.query(`SELECT COALESCE(sum(events_inserted), 0) AS n FROM ingest_batch WHERE status = 'committed'`))
        .rows[0].n,
    );
    await client.query(matchedEventsSql('all', await eventLayout(client)), [grace, consensusGrace]);
  } else {
    eventsScanned = Number(
      (await client.query('SELECT count(*) AS n FROM network_event WHERE batch_id = ANY ($1::int[])', [batches]))
        .rows[0].n,
    );
    await client.query(
      'CREATE TEMP TABLE candidate_event (id bigint PRIMARY KEY, ts timestamptz NOT NULL, remote_ip inet NOT NULL) ON COMMIT DROP',
    );
    // New events that touch any relay address at all (the exact time test comes in the join).
    await client.query(
      `
      INSERT INTO candidate_event
      SELECT e.id, e.ts, e.remote_ip FROM network_event e
      WHERE e.batch_id = ANY ($1::int[]) AND e.remote_ip IN (SELECT ip FROM relay_address)
      ON CONFLICT DO NOTHING`,
      [batches],
    );
    // Retro: older events in the time an interval newly covers — all of a new interval, or the stretch before its
    // examined start / after its examined end.
    const retro = await client.query(
      `
      INSERT INTO candidate_event
      SELECT DISTINCT e.id, e.ts, e.remote_ip
      FROM examined_interval a
      JOIN network_event e ON e.remote_ip = a.ip
       AND e.ts BETWEEN a.valid_from - ${GRACE_SQL} AND a.valid_to + ${GRACE_SQL}
      WHERE a.matched_from IS NULL
         OR e.ts < a.matched_from - ${GRACE_SQL}
         OR e.ts > a.matched_to + ${GRACE_SQL}
      ON CONFLICT DO NOTHING`,
      [grace, consensusGrace],
    );
    eventsScanned += retro.rowCount ?? 0;
    const layout = await eventLayout(client);
    if (layout === 'single') await client.query(CANDIDATE_PROBE_SETTINGS);
    await client.query(matchedEventsSql('candidates', layout), [grace, consensusGrace]);
    if (layout === 'single') await client.query(CANDIDATE_PROBE_RESET);
  }
  // New hits are written with their episode (placement.place fills run_episode) rather than placed by a second write.
  await client.query(
    'CREATE TEMP TABLE run_episode (event_id bigint PRIMARY KEY, episode_id bigint NOT NULL) ON COMMIT DROP',
  );
  const timedStep = async (name: string, step: HitPlacement['place']) => {
    const start = performance.now();
    await step(rawClient, runId);
    steps[name] = Math.round(performance.now() - start);
  };
  if (placement) await timedStep('episodes: place', placement.place);
  const upserted = await client.query<{ inserted: boolean }>(UPSERT_HITS_SQL, [runId]);
  if (placement) await timedStep('episodes: settle', placement.settle);
  const hitsNew = upserted.rows.filter((r) => r.inserted).length;
  const hitsUpdated = upserted.rows.length - hitsNew;

  // Evidence withdrawn: an examined event with a valid hit that no longer matches. A full run examines every stored
  // event: not those of months retention dropped, whose hits stay as they are (§16.2).
  const scope =
    mode === 'full'
      ? `h.event_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM retention_dropped_month d WHERE d.month = date_trunc('month', h.ts, 'UTC'))`
      : 'h.event_id IN (SELECT id FROM candidate_event)';
  const retired = await client.query(`
    UPDATE hit h SET evidence_valid = false, updated_at = now()
    WHERE h.evidence_valid AND ${scope} AND NOT EXISTS (SELECT 1 FROM run_match m WHERE m.event_id = h.event_id)`);
  const summaries = await matchSummaries(client, runId, mode, [grace, consensusGrace]);

  await client.query('UPDATE ingest_batch SET matched_at = now() WHERE id = ANY ($1::int[])', [batches]);
  await client.query(`
    UPDATE relay_address a SET matched_from = c.valid_from, matched_to = c.valid_to
    FROM examined_interval c WHERE a.id = c.id
      AND (a.matched_from IS DISTINCT FROM c.valid_from OR a.matched_to IS DISTINCT FROM c.valid_to)`);
  return {
    eventsScanned: eventsScanned + summaries.scanned,
    hitsNew: hitsNew + summaries.hitsNew,
    hitsUpdated: hitsUpdated + summaries.hitsUpdated,
    hitsRetired: (retired.rowCount ?? 0) + summaries.hitsRetired,
    steps,
  };
}

interface RunQuery {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

/**
 * The summary match (§16.3): hits of precision 'hour' from the summaries of dropped months. Until retention has
 * dropped a month there is nothing to consult, and the run only creates the (empty) table the after-match steps read.
 */
async function matchSummaries(client: RunQuery, runId: number, mode: MatchMode, graces: string[]) {
  const dropped = await client.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM retention_dropped_month) AS any');
  if (!dropped.rows[0].any) {
    await client.query('CREATE TEMP TABLE run_summary_match (summary_id bigint) ON COMMIT DROP');
    return { scanned: 0, hitsNew: 0, hitsUpdated: 0, hitsRetired: 0 };
  }
  const candidates = await client.query(candidateSummariesSql(mode === 'full' ? 'all' : 'candidates'), graces);
  await client.query(MATCHED_SUMMARIES_SQL, graces);
  const upserted = await client.query<{ inserted: boolean }>(UPSERT_SUMMARY_HITS_SQL, [runId]);
  const hitsNew = upserted.rows.filter((r) => r.inserted).length;
  // Withdrawn: an examined summary row whose hit no longer matches. A full run examines every summary row still
  // stored (one whose summary retention removed keeps its hit as it is).
  const scope =
    mode === 'full'
      ? `EXISTS (SELECT 1 FROM connection_summary s WHERE s.remote_ip = h.remote_ip
                   AND s.hour = date_trunc('hour', h.ts, 'UTC') AND s.id = h.summary_id)`
      : 'h.summary_id IN (SELECT id FROM candidate_summary)';
  const retired = await client.query(`
    UPDATE hit h SET evidence_valid = false, updated_at = now()
    WHERE h.evidence_valid AND h.summary_id IS NOT NULL AND ${scope}
      AND NOT EXISTS (SELECT 1 FROM run_summary_match m WHERE m.summary_id = h.summary_id)`);
  return {
    scanned: candidates.rowCount ?? 0,
    hitsNew,
    hitsUpdated: upserted.rows.length - hitsNew,
    hitsRetired: retired.rowCount ?? 0,
  };
}
