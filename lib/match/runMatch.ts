import type { PoolClient } from 'pg';
import { getPool } from '@/lib/db/client';
import { graceHours } from './grace';
import { matchedEventsSql, UPSERT_HITS_SQL } from './matchSql';
import { afterMatchSteps } from './afterMatch';

// A match run (DESIGN.md §4, issue #6). Every mode runs in one transaction under one advisory lock, so two runs never
// overlap, a killed run leaves nothing half-done, and running twice creates nothing new.
//  - incremental: events of committed ingest batches not matched yet (matched_at IS NULL — a watermark that survives
//    restarts and is safe with concurrent ingests, because a batch becomes visible only when it commits), plus
//    retro work: events on relay-address intervals added or extended since the last run;
//  - retro: the same (relay refreshes queue it; whatever is pending of either kind is done);
//  - full: every event; hits whose evidence has gone are marked evidence_valid = false (kept, never deleted).

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

const LOCK_KEY = 'torwatch:match';
// Intervals changed by a relay import that committed while the previous run was working carry an updated_at a little
// before that run's watermark; re-examining a margin is harmless because runs are idempotent.
const RETRO_MARGIN = '1 hour';

export async function runMatch(options: { mode: MatchMode; trigger?: string }): Promise<MatchResult> {
  const pool = getPool();
  const started = Date.now();
  await pool.query(`UPDATE match_run SET status = 'failed', error = 'interrupted', finished_at = now()
                    WHERE status = 'running' AND started_at < now() - interval '6 hours'`);
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO match_run (mode, trigger) VALUES ($1, $2) RETURNING id`, [options.mode, options.trigger ?? null]);
  const runId = rows[0].id;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK_KEY]);
    const result = await matchInTransaction(client, runId, options.mode);
    await afterMatchSteps(client, runId);
    await client.query('COMMIT');
    const durationMs = Date.now() - started;
    await pool.query(
      `UPDATE match_run SET status = 'ok', finished_at = now(), events_scanned = $2, hits_new = $3, hits_updated = $4,
              hits_retired = $5, details = $6 WHERE id = $1`,
      [runId, result.eventsScanned, result.hitsNew, result.hitsUpdated, result.hitsRetired, { durationMs, graceHours: graceHours() }]);
    return { runId, mode: options.mode, ...result, durationMs };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    await pool.query(`UPDATE match_run SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1`,
      [runId, (error as Error).message.slice(0, 2000)]);
    throw error;
  } finally {
    client.release();
  }
}

async function matchInTransaction(client: PoolClient, runId: number, mode: MatchMode) {
  const grace = `${graceHours()} hours`;
  const watermark = await client.query<{ now: Date }>('SELECT now()');
  // The batches this run covers, fixed now: one that commits while we work waits for the next run.
  const batches = (await client.query<{ id: number }>(
    `SELECT id FROM ingest_batch WHERE status = 'committed' AND matched_at IS NULL FOR UPDATE`)).rows.map((r) => r.id);
  let eventsScanned: number;
  if (mode === 'full') {
    eventsScanned = Number((await client.query('SELECT count(*) AS n FROM network_event')).rows[0].n);
    await client.query(matchedEventsSql('all'), [grace]);
  } else {
    await client.query('CREATE TEMP TABLE candidate_event (id bigint PRIMARY KEY) ON COMMIT DROP');
    await client.query(`
      INSERT INTO candidate_event
      SELECT e.id FROM network_event e
      WHERE e.remote_ip IS NOT NULL AND e.batch_id = ANY ($1::int[])
      ON CONFLICT DO NOTHING`, [batches]);
    await client.query(`
      INSERT INTO candidate_event
      SELECT DISTINCT e.id
      FROM relay_address a
      JOIN network_event e ON e.remote_ip = a.ip
       AND e.ts BETWEEN a.valid_from - $1::interval AND a.valid_to + $1::interval
      WHERE a.updated_at > COALESCE(
        (SELECT (value->>'at')::timestamptz FROM setting WHERE key = 'match.retroWatermark') - $2::interval, '-infinity')
      ON CONFLICT DO NOTHING`, [grace, RETRO_MARGIN]);
    eventsScanned = Number((await client.query('SELECT count(*) AS n FROM candidate_event')).rows[0].n);
    await client.query(matchedEventsSql('candidates'), [grace]);
  }
  const upserted = await client.query<{ inserted: boolean }>(UPSERT_HITS_SQL, [runId]);
  const hitsNew = upserted.rows.filter((r) => r.inserted).length;
  const hitsUpdated = upserted.rows.length - hitsNew;

  // Evidence withdrawn: an examined event with a valid hit that no longer matches.
  const scope = mode === 'full' ? 'true' : 'h.event_id IN (SELECT id FROM candidate_event)';
  const retired = await client.query(`
    UPDATE hit h SET evidence_valid = false, updated_at = now()
    WHERE h.evidence_valid AND ${scope} AND NOT EXISTS (SELECT 1 FROM run_match m WHERE m.event_id = h.event_id)`);

  await client.query('UPDATE ingest_batch SET matched_at = now() WHERE id = ANY ($1::int[])', [batches]);
  await client.query(`
    INSERT INTO setting (key, value, updated_at) VALUES ('match.retroWatermark', $1, now())
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`, [{ at: watermark.rows[0].now.toISOString() }]);
  return { eventsScanned, hitsNew, hitsUpdated, hitsRetired: retired.rowCount ?? 0 };
}
