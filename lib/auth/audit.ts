import { getPrisma } from '@/lib/db/client';
import type { Actor } from './roles';

/**
 * Records a security-relevant action (logins, user and token changes, uploads, exports, triage, settings) in
 * audit_log. `actor` null means the system itself. Never throws into the caller's work: a failed write is logged.
 */
export async function audit(
  actor: Actor | null,
  action: string,
  target?: string | null,
  details?: object,
  ip?: string | null,
): Promise<void> {
  try {
    await getPrisma().auditLog.create({
      data: {
        actorId: actor ? `${actor.kind}:${actor.id}` : null,
        actor: actor ? actor.label : 'system',
        action,
        target: target ?? null,
        details: details ? (JSON.parse(JSON.stringify(details, bigintSafe)) as object) : undefined,
        ip: ip ?? null,
      },
    });
  } catch (error) {
    console.error(`audit: could not record ${action}: ${(error as Error).message}`);
  }
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
