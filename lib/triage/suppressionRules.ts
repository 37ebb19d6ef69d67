import 'server-only';
import { audit } from '@/lib/auth/audit';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { withTriageLock } from '@/lib/db/matchLock';
import { authoriseQuery } from '@/lib/auth/authorise';
import { suppressHitsSql } from './suppressionSql';
import { suppressionRuleInput } from './suppressionRuleInput';
import { TriageError } from './triageHits';

// Creating a rule applies it backward at once (to existing open hits, in the same transaction); the match engine's
// afterMatch step applies active rules forward to every new hit. Expiring a rule stops it suppressing new hits; the hits
// it already suppressed stay suppressed unless the caller asks to restore them (back to `new`).

const BACKWARD_SQL = suppressHitsSql('r.id = $1');

/** Validates (zod: field-named errors), stores, applies backward; returns the rule id and how many hits it suppressed. */
export async function createSuppressionRule(actor: Actor, input: unknown): Promise<{ id: string; suppressed: number }> {
  authoriseQuery(actor, 'analyst');
  const rule = suppressionRuleInput.parse(input);
  const { id, suppressed } = await withTriageLock(async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `
      INSERT INTO suppression_rule (id, device_id, process_file_name, process_folder_path, process_sha256, relay_ip,
        relay_fingerprint, action_type, direction, reason, created_by, expires_at)
      VALUES (gen_random_uuid()::text, $1, $2, $3, $4, $5::inet, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        rule.deviceId ?? null,
        rule.processFileName ?? null,
        rule.processFolderPath ?? null,
        rule.processSha256 ?? null,
        rule.relayIp ?? null,
        rule.relayFingerprint ?? null,
        rule.actionType ?? null,
        rule.direction ?? null,
        rule.reason,
        actor.label,
        rule.expiresAt ?? null,
      ],
    );
    const id = rows[0].id;
    const applied = await client.query(BACKWARD_SQL, [id]);
    return { id, suppressed: applied.rowCount ?? 0 };
  });
  await audit(actor, 'suppression.create', `rule:${id}`, { ...rule, suppressed });
  return { id, suppressed };
}

/** Expires a rule now; with `restoreHits`, the hits it suppressed go back to `new`. */
export async function expireSuppressionRule(
  actor: Actor,
  id: string,
  options: { restoreHits?: boolean } = {},
): Promise<{ restored: number }> {
  authoriseQuery(actor, 'analyst');
  const pool = getPool();
  const { rowCount } = await pool.query(
    `UPDATE suppression_rule SET expires_at = LEAST(COALESCE(expires_at, now()), now()) WHERE id = $1`,
    [id],
  );
  if (!rowCount) throw new TriageError(`suppression rule ${id.slice(0, 40)} does not exist`);
  let restored = 0;
  if (options.restoreHits) {
    const result = await withTriageLock((client) =>
      client.query(
        `UPDATE hit SET status = 'new', suppression_rule_id = NULL, updated_at = now() WHERE suppression_rule_id = $1 AND status = 'suppressed'`,
        [id],
      ),
    );
    restored = result.rowCount ?? 0;
  }
  await audit(actor, 'suppression.expire', `rule:${id}`, { restoreHits: Boolean(options.restoreHits), restored });
  return { restored };
}
