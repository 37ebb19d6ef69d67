import { getAuth } from './auth';
import { arrivedOverTls, clientAddress, PEER_HEADER, peerAddress } from './clientAddress';
import { CLIENT_ADDRESS_HEADER } from './sessionPolicy';

// The door to Better Auth's endpoints (app/api/auth/[...all]/route.ts), issue #14. Better Auth with its admin plugin
// serves far more than TorWatch offers (create-user, set-role, impersonate-user, ban-user, update-user, …), and those
// bypass TorWatch's rules (password policy, last-admin guard, audit). TorWatch manages users through its own pages
// and CLI (lib/auth/users.ts), so only these pass; everything else is a 404.
export const OFFERED_AUTH_ENDPOINTS: ReadonlyArray<{ method: 'GET' | 'POST'; path: string }> = [
  { method: 'POST', path: '/sign-in/email' }, // the login page; throttled and audited in lib/auth/auth.ts
  { method: 'POST', path: '/sign-out' }, // the user menu; audited
  { method: 'GET', path: '/get-session' },
  { method: 'POST', path: '/change-password' }, // own password: TorWatch's policy, throttle and audit apply
];

const PREFIX = '/api/auth';

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/**
 * Hands an offered request to Better Auth with headers it can trust: the client address from the socket (or a
 * trusted proxy) in CLIENT_ADDRESS_HEADER, X-Forwarded-Proto only as a trusted proxy said it; and makes its cookies
 * Secure when the request reached a trusted proxy over TLS.
 */
export async function handleAuthRequest(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname;
  const offered = OFFERED_AUTH_ENDPOINTS.find((e) => e.path === path.replace(/\/+$/, ''));
  if (!offered) return json(404, { message: 'Not found', code: 'NOT_FOUND' });
  if (offered.method !== request.method.toUpperCase())
    return json(405, { message: `Use ${offered.method}`, code: 'METHOD_NOT_ALLOWED' });

  const tls = arrivedOverTls(request.headers);
  const headers = new Headers(request.headers);
  headers.set(CLIENT_ADDRESS_HEADER, clientAddress(request.headers));
  // Next builds request.url from whatever X-Forwarded-Proto it got; only a trusted proxy's counts here.
  const target = new URL(request.url);
  if (peerAddress(request.headers)) target.protocol = tls ? 'https:' : 'http:';
  headers.set('x-forwarded-proto', target.protocol.replace(':', ''));
  headers.delete('x-real-ip');
  // The peer stamp stays: the hooks in lib/auth/auth.ts read the client address from it again.
  if (!request.headers.get(PEER_HEADER)) headers.delete(PEER_HEADER);
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
  const response = await getAuth().handler(new Request(target, { method: request.method, headers, body }));
  return tls ? withSecureCookies(response) : response;
}

function withSecureCookies(response: Response): Response {
  const cookies = response.headers.getSetCookie();
  if (!cookies.length) return response;
  const headers = new Headers(response.headers);
  headers.delete('set-cookie');
  for (const cookie of cookies)
    headers.append('set-cookie', /;\s*secure\b/i.test(cookie) ? cookie : `${cookie}; Secure`);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
