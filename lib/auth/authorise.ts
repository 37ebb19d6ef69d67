import 'server-only';
import { hasRole, type Actor, type Role } from '@/lib/auth/roles';

export class QueryForbiddenError extends Error {}

/**
 * The data access layer is the security boundary: every dashboard query names the least role it serves. Users need
 * that role; a machine token with the `read` scope may read what a viewer may.
 */
export function authoriseQuery(actor: Actor, min: Role): void {
  if (hasRole(actor, min)) return;
  if (min === 'viewer' && actor.kind === 'token' && actor.scope === 'read') return;
  throw new QueryForbiddenError(`Forbidden: this needs the ${min} role.`);
}

/**
 * Triage of hits: changing one needs an analyst, or a token with the `triage` scope; reading a hit's triage state
 * (status, assignee, notes) a viewer, or a `read` or `triage` token.
 */
export function authoriseTriage(actor: Actor, access: 'read' | 'change'): void {
  if (hasRole(actor, access === 'change' ? 'analyst' : 'viewer')) return;
  if (actor.kind === 'token' && (actor.scope === 'triage' || (access === 'read' && actor.scope === 'read'))) return;
  throw new QueryForbiddenError(
    `Forbidden: this needs the ${access === 'change' ? 'analyst' : 'viewer'} role or a triage token.`,
  );
}

/** Raw hit data in bulk (exports, GET /api/v1/hits): analysts and admins, or a token with the `read` scope. */
export function authoriseHitExport(actor: Actor): void {
  if (hasRole(actor, 'analyst')) return;
  if (actor.kind === 'token' && actor.scope === 'read') return;
  throw new QueryForbiddenError('Forbidden: exporting hits needs the analyst role or a read token.');
}
