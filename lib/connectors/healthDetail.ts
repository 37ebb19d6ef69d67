import 'server-only';
import { verifyApiToken } from '@/lib/auth/apiTokens';
import { sessionActor } from '@/lib/auth/session';

/** The detailed /api/health is for a signed-in user (any role) or a valid API token (any scope). */
export async function healthDetailAllowed(request: Request): Promise<boolean> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  if (bearer) return (await verifyApiToken(bearer).catch(() => null)) !== null;
  const actor = await sessionActor(request.headers).catch(() => null);
  return actor !== null && actor.role !== null;
}
