import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { authoriseTriage } from '@/lib/auth/authorise';

export interface HitNoteView {
  id: string;
  author: string;
  body: string;
  createdAt: string; // ISO UTC
}

export interface HitTriage {
  hitId: string;
  status: string;
  assigneeId: string | null;
  assignee: string | null; // e-mail
  triagedAt: string | null;
  suppressionRule: { id: string; reason: string } | null;
  notes: HitNoteView[];
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The triage state of one hit (status, assignee, the rule that suppressed it, notes oldest first); viewers may read it. */
export async function getHitTriage(actor: Actor, hitId: string): Promise<HitTriage | null> {
  authoriseTriage(actor, 'read');
  if (!/^\d{1,19}$/.test(hitId)) return null;
  const pool = getPool();
  const [hit, notes] = await Promise.all([
    pool.query(
      `
      SELECT h.id::text AS "hitId", h.status, h.assignee_id AS "assigneeId", u.email AS assignee,
             ${ISO('h.triaged_at')} AS "triagedAt", r.id AS "ruleId", r.reason AS "ruleReason"
      FROM hit h LEFT JOIN "user" u ON u.id = h.assignee_id LEFT JOIN suppression_rule r ON r.id = h.suppression_rule_id
      WHERE h.id = $1::bigint`,
      [hitId],
    ),
    pool.query<HitNoteView>(
      `
      SELECT id::text, author, body, ${ISO('created_at')} AS "createdAt" FROM hit_note
      WHERE hit_id = $1::bigint ORDER BY created_at, id`,
      [hitId],
    ),
  ]);
  const row = hit.rows[0];
  if (!row) return null;
  return {
    hitId: row.hitId,
    status: row.status,
    assigneeId: row.assigneeId,
    assignee: row.assignee,
    triagedAt: row.triagedAt,
    suppressionRule: row.ruleId ? { id: row.ruleId, reason: row.ruleReason } : null,
    notes: notes.rows,
  };
}
