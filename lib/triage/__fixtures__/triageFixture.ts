import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { addBatch, addEvents, addInterval, addRelay, type FixtureEvent } from '@/lib/match/matchFixture';
import { runMatchPipeline } from '@/lib/pipeline/runMatchPipeline';

// Relay data and users for triage, suppression and alert tests: relay A (198.51.100.7:9001, Guard) and exit relay B
// (203.0.113.9:443), valid all of November 2026.
export const RELAY_A = 'A'.repeat(40);
export const RELAY_B = 'B'.repeat(40);

export async function addRelaysAndUsers(): Promise<void> {
  await addRelay(RELAY_A, { nickname: 'alpha', country: 'de', flags: ['Guard', 'Running'] });
  await addRelay(RELAY_B, { nickname: 'bravo', country: 'nl', flags: ['Exit', 'Running'] });
  await addInterval(RELAY_A, '198.51.100.7', 9001, 'or', '2026-11-01T00:00:00Z', '2026-11-30T00:00:00Z');
  await addInterval(RELAY_B, '203.0.113.9', 443, 'or', '2026-11-01T00:00:00Z', '2026-11-30T00:00:00Z');
  for (const [id, role] of [
    ['u-analyst', 'analyst'],
    ['u-admin', 'admin'],
    ['u-viewer', 'viewer'],
  ]) {
    await getPool().query(
      `INSERT INTO "user" (id, name, email, role) VALUES ($1, $1, $1 || '@example.test', $2) ON CONFLICT DO NOTHING`,
      [id, role],
    );
  }
}

export const analyst: Actor = { kind: 'user', id: 'u-analyst', label: 'u-analyst@example.test', role: 'analyst' };
export const admin: Actor = { kind: 'user', id: 'u-admin', label: 'u-admin@example.test', role: 'admin' };
export const viewer: Actor = { kind: 'user', id: 'u-viewer', label: 'u-viewer@example.test', role: 'viewer' };

/** Ingests the events as one committed batch and runs an incremental match; returns the run id. */
export async function ingestAndMatch(events: FixtureEvent[]): Promise<number> {
  await addEvents(await addBatch(), events);
  return (await runMatchPipeline({ mode: 'incremental', trigger: 'test' })).runId;
}

export async function hitsByDevice(
  deviceId: string,
): Promise<Array<{ id: string; status: string; ruleId: string | null; triagedAt: Date | null; confidence: string }>> {
  const { rows } = await getPool().query(
    `SELECT id::text, status, suppression_rule_id AS "ruleId", triaged_at AS "triagedAt", confidence FROM hit WHERE device_id = $1 ORDER BY ts, id`,
    [deviceId],
  );
  return rows;
}
