import { getAuth } from './auth';
import { isRole, type Actor } from './roles';

/** The signed-in user behind these request headers (session cookie), or null. Banned users have no session. */
export async function sessionActor(headers: Headers): Promise<Actor | null> {
  const session = await getAuth().api.getSession({ headers });
  if (!session) return null;
  const { user } = session;
  if ((user as { banned?: boolean | null }).banned) return null;
  const role = (user as { role?: string | null }).role;
  return { kind: 'user', id: user.id, label: user.email, role: isRole(role) ? role : null };
}
