import { getPrisma } from '@/lib/db/client';
import { getAuth } from './auth';
import { isRole, type Actor } from './roles';
import { sessionTooOld } from './sessionPolicy';

/**
 * The signed-in user behind these request headers (session cookie), or null. Banned users have no session; nor has
 * a session past its absolute lifetime (TORWATCH_SESSION_MAX_DAYS), which is deleted here.
 */
export async function sessionActor(headers: Headers): Promise<Actor | null> {
  const session = await getAuth().api.getSession({ headers });
  if (!session) return null;
  if (sessionTooOld(session.session.createdAt)) {
    await getPrisma()
      .session.deleteMany({ where: { id: session.session.id } })
      .catch(() => {});
    return null;
  }
  const { user } = session;
  if ((user as { banned?: boolean | null }).banned) return null;
  const role = (user as { role?: string | null }).role;
  return { kind: 'user', id: user.id, label: user.email, role: isRole(role) ? role : null };
}
