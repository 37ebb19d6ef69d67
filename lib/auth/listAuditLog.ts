import { getPrisma } from '@/lib/db/client';

export interface AuditEntry {
  id: string;
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  details: unknown;
  ip: string | null;
}

/** Newest first, keyset-paged by id (`before`), optionally one action or action family (`login` → `login.*`). */
export async function listAuditLog(
  options: { before?: bigint | null; action?: string | null; limit?: number } = {},
): Promise<{ entries: AuditEntry[]; nextBefore: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const action = options.action?.trim();
  const rows = await getPrisma().auditLog.findMany({
    where: {
      ...(options.before ? { id: { lt: options.before } } : {}),
      ...(action ? { OR: [{ action }, { action: { startsWith: `${action}.` } }] } : {}),
    },
    orderBy: { id: 'desc' },
    take: limit + 1,
  });
  const entries = rows.slice(0, limit).map((row) => ({
    id: row.id.toString(),
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    details: row.details,
    ip: row.ip,
  }));
  return { entries, nextBefore: rows.length > limit ? entries[entries.length - 1].id : null };
}
