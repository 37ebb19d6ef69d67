import { verifyApiToken } from '@/lib/auth/apiTokens';
import { sessionActor } from '@/lib/auth/session';
import { auditFailedToken } from '@/lib/auth/tokenFailures';
import { getHealth } from '@/lib/queries/getHealth';

export const dynamic = 'force-dynamic';

// docs/architecture.md §9.2. Anonymous callers (load balancers, uptime checks) learn only up or down: {"status":"up"} 200 or {"status":"down"}
// 503. The details — database, worker, relay data age, last match run — need a session or an API token (issue #14).
export async function GET(request: Request) {
  const health = await getHealth();
  const status = health.database ? 200 : 503;
  const headers = { 'Cache-Control': 'no-store' };
  if (!(await mayReadDetails(request)))
    return Response.json({ status: health.database ? 'up' : 'down' }, { status, headers });
  return Response.json(health, { status, headers });
}

async function mayReadDetails(request: Request): Promise<boolean> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
  if (bearer) {
    const token = await verifyApiToken(bearer[1]).catch(() => null);
    if (!token) await auditFailedToken(request, bearer[1]);
    return token !== null;
  }
  return (await sessionActor(request.headers).catch(() => null)) !== null;
}
