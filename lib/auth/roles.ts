// Roles and who may act (issue #3): viewer < analyst < admin. Tokens carry a scope instead of a role.
export type Role = 'viewer' | 'analyst' | 'admin';
/**
 * ingest: send telemetry; read: read hits and relay data; triage: read and triage hits (a SOAR writing decisions
 * back); relays: import relay lists (an offline mirror job) — not part of ingest, since relay data decides what is a hit.
 */
export type TokenScope = 'ingest' | 'read' | 'triage' | 'relays';

export const ROLES: readonly Role[] = ['viewer', 'analyst', 'admin'];
export const TOKEN_SCOPES: readonly TokenScope[] = ['ingest', 'read', 'triage', 'relays'];

/** Whoever is making a request: a signed-in user, or a machine with an API token. */
export interface Actor {
  kind: 'user' | 'token';
  id: string;
  label: string; // e-mail or token name
  role: Role | null; // null for tokens
  scope?: TokenScope; // tokens only
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isTokenScope(value: unknown): value is TokenScope {
  return typeof value === 'string' && (TOKEN_SCOPES as readonly string[]).includes(value);
}

/** True when the actor is a user whose role is at least `min`. Tokens never hold a role. */
export function hasRole(actor: Actor | null | undefined, min: Role): boolean {
  if (!actor || actor.kind !== 'user' || !actor.role) return false;
  return ROLES.indexOf(actor.role) >= ROLES.indexOf(min);
}
