import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { authoriseQuery } from '@/lib/auth/authorise';

export interface Assignee {
  id: string;
  email: string;
}

/** Who can be assigned a hit: active analysts and admins. */
export async function listAssignees(actor: Actor): Promise<Assignee[]> {
  authoriseQuery(actor, 'viewer');
  const { rows } = await getPool().query<Assignee>(
    `SELECT id, email FROM "user" WHERE role IN ('analyst', 'admin') AND banned IS NOT TRUE ORDER BY email`,
  );
  return rows;
}
