import 'server-only';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { hasRole, type Actor, type Role } from './roles';
import { sessionActor } from './session';

export type { Actor, Role, TokenScope } from './roles';
export { hasRole } from './roles';

/** The header proxy.ts sets to the requested path, so a page can send the user back after signing in. */
export const PATH_HEADER = 'x-torwatch-path';

/**
 * First line of every page: the signed-in user with at least `min`. No session → /login?next=<this page>;
 * a lower role → Next's 403 page (app/forbidden.tsx).
 */
export async function requirePageRole(min: Role): Promise<Actor> {
  const requestHeaders = await headers();
  const actor = await sessionActor(requestHeaders);
  if (!actor) {
    const path = requestHeaders.get(PATH_HEADER);
    redirect(
      path && path.startsWith('/') && !path.startsWith('//') ? `/login?next=${encodeURIComponent(path)}` : '/login',
    );
  }
  if (!hasRole(actor, min)) forbidden();
  return actor;
}

/** A server action's first line: throws when nobody is signed in or the role is too low. */
export async function requireActionRole(min: Role): Promise<Actor> {
  const actor = await sessionActor(await headers());
  if (!actor) throw new Error('Not signed in: sign in again and retry.');
  if (!hasRole(actor, min)) throw new Error(`Forbidden: this needs the ${min} role.`);
  return actor;
}

/** The signed-in user, or null (layouts and pages that only adapt what they show). */
export async function currentActor(): Promise<Actor | null> {
  return sessionActor(await headers());
}
