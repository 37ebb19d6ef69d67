import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { getPrisma } from '../db/client';
import { sessionActor } from './session';
import { createUser } from './users';

// Sign-in hardening (issue #14) through the real route handler of /api/auth/*. The web server (bin/web-server.mjs)
// stamps each request with its socket address; here the test stamps it the same way (PEER_SECRET), and e2e/15-signin
// checks the stamping itself against the running server.
const { GET, POST } = await import('../../app/api/auth/[...all]/route');

useTestDatabase();

const ORIGIN = 'http://torwatch.test';
const PASSWORD = 'correct horse battery staple';
const PEER_SECRET = 'test-peer-secret-0123456789';

function call(
  method: 'GET' | 'POST',
  path: string,
  { peer, body, headers = {} }: { peer?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const request = new Request(`${ORIGIN}/api/auth${path}`, {
    method,
    headers: {
      origin: ORIGIN,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(peer ? { 'x-torwatch-peer': `${PEER_SECRET} ${peer}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return method === 'GET' ? GET(request) : POST(request);
}

const signIn = (email: string, password: string, peer: string, headers: Record<string, string> = {}) =>
  call('POST', '/sign-in/email', { peer, body: { email, password }, headers });

const cookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

let peerCounter = 0;
/** A fresh client address per test, so tests never share the per-address budget. */
const freshPeer = () => `203.0.113.${++peerCounter}`;

beforeAll(async () => {
  process.env.BETTER_AUTH_SECRET = 'test-secret-test-secret-test-secret-0123456789';
  process.env.TORWATCH_PEER_SECRET = PEER_SECRET;
  await resetDatabase();
  for (const name of ['known', 'parallel', 'backoff', 'changer', 'old', 'cookie', 'audit'])
    await createUser({ email: `${name}@example.org`, role: 'analyst', password: PASSWORD });
  await createUser({ email: 'only-admin@example.org', role: 'admin', password: PASSWORD });
});

afterEach(() => {
  delete process.env.TORWATCH_TRUSTED_PROXIES;
  delete process.env.TORWATCH_SESSION_MAX_DAYS;
});

describe('per client address', () => {
  it('allows 30 attempts a minute from one socket address however X-Forwarded-For rotates, then 429', async () => {
    const peer = freshPeer();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++)
      statuses.push(
        (await signIn(`nobody${i}@example.org`, 'wrong password here', peer, { 'x-forwarded-for': `198.51.100.${i}` }))
          .status,
      );
    expect(statuses.every((s) => s === 401)).toBe(true);
    // The 31st, with the right password, is refused without checking it.
    const refused = await signIn('known@example.org', PASSWORD, peer, { 'x-forwarded-for': '198.51.100.200' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.headers.getSetCookie()).toEqual([]);
    // Another address is not affected.
    expect((await signIn('known@example.org', PASSWORD, freshPeer())).status).toBe(200);
  });

  it('honours X-Forwarded-For only from TORWATCH_TRUSTED_PROXIES, and audits that address', async () => {
    process.env.TORWATCH_TRUSTED_PROXIES = '10.9.9.9/32, 2001:db8::/32';
    // Through the trusted proxy, two clients have two budgets: 30 from one do not limit the other.
    for (let i = 0; i < 30; i++)
      await signIn(`proxied${i}@example.org`, 'wrong password here', '10.9.9.9', {
        'x-forwarded-for': '6.6.6.6, 192.0.2.50',
      });
    expect((await signIn('audit@example.org', PASSWORD, '10.9.9.9', { 'x-forwarded-for': '192.0.2.51' })).status).toBe(
      200,
    );
    const row = await getPrisma().auditLog.findFirstOrThrow({
      where: { action: 'login.success', target: 'audit@example.org' },
    });
    expect(row.ip).toBe('192.0.2.51');
    const failure = await getPrisma().auditLog.findFirstOrThrow({
      where: { action: 'login.failure', target: 'proxied0@example.org' },
    });
    expect(failure.ip).toBe('192.0.2.50'); // the right-most untrusted entry, not what the client prepended
    // From an untrusted peer the header is ignored: the audit shows the socket address.
    const peer = freshPeer();
    await signIn('nobody-untrusted@example.org', 'wrong password here', peer, { 'x-forwarded-for': '192.0.2.99' });
    const untrusted = await getPrisma().auditLog.findFirstOrThrow({
      where: { action: 'login.failure', target: 'nobody-untrusted@example.org' },
    });
    expect(untrusted.ip).toBe(peer);
  });

  it('does not believe a peer stamp without the server secret', async () => {
    await call('POST', '/sign-in/email', {
      body: { email: 'forged@example.org', password: 'wrong password here' },
      headers: { 'x-torwatch-peer': 'guessed-secret 192.0.2.77', 'x-forwarded-for': '192.0.2.78' },
    });
    const row = await getPrisma().auditLog.findFirstOrThrow({
      where: { action: 'login.failure', target: 'forged@example.org' },
    });
    expect(row.ip).toBeNull();
  });
});

describe('per account', () => {
  it('answers a known and an unknown e-mail alike: 401s, then after five failures 429 with Retry-After, also for the right password', async () => {
    const answers: Record<string, string[]> = { known: [], unknown: [] };
    const times: Record<string, number[]> = { known: [], unknown: [] };
    for (let i = 0; i < 4; i++)
      for (const who of ['known', 'unknown'] as const) {
        const started = performance.now();
        const response = await signIn(`${who}@example.org`, `wrong password ${i}!`, freshPeer());
        times[who].push(performance.now() - started);
        answers[who].push(`${response.status} ${await response.text()}`);
      }
    expect(answers.known).toEqual(answers.unknown);
    expect(answers.known.every((a) => a.startsWith('401 '))).toBe(true);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // Both paths hash the password once (scrypt): neither is markedly faster.
    expect(median(times.unknown)).toBeGreaterThan(median(times.known) * 0.4);
    expect(median(times.known)).toBeGreaterThan(median(times.unknown) * 0.4);

    // Sixth attempts, each right after its account's fifth failure.
    await signIn('known@example.org', 'wrong password 5!', freshPeer());
    const known = await signIn('known@example.org', PASSWORD, freshPeer());
    await signIn('unknown@example.org', 'wrong password 5!', freshPeer());
    const unknown = await signIn('unknown@example.org', PASSWORD, freshPeer());
    expect(known.status).toBe(429);
    expect(unknown.status).toBe(429);
    expect(await known.text()).toBe(await unknown.text());
    expect(known.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(known.headers.getSetCookie()).toEqual([]);
  });

  it('counts before verifying: of 20 parallel wrong guesses at most 5 reach the password check', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signIn('parallel@example.org', `parallel guess ${i}!`, freshPeer())),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('backs off doubling per failure, and a right password after the wait resets it', async () => {
    for (let i = 0; i < 5; i++) await signIn('backoff@example.org', `wrong password ${i}!`, freshPeer());
    const first = await signIn('backoff@example.org', PASSWORD, freshPeer());
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await signIn('backoff@example.org', 'wrong password 6!', freshPeer())).status).toBe(401);
    const second = await signIn('backoff@example.org', PASSWORD, freshPeer());
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('2');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await signIn('backoff@example.org', PASSWORD, freshPeer())).status).toBe(200);
    expect((await signIn('backoff@example.org', 'wrong password 7!', freshPeer())).status).toBe(401);
  });
});

describe("Better Auth's own endpoints", () => {
  it('offers none of the admin plugin, sign-up or profile endpoints', async () => {
    const admin = await signIn('only-admin@example.org', PASSWORD, freshPeer());
    expect(admin.status).toBe(200);
    const cookie = cookieOf(admin);
    const target = await getPrisma().user.findUniqueOrThrow({ where: { email: 'known@example.org' } });
    const attempts: [string, unknown][] = [
      [
        '/admin/set-role',
        {
          userId: (await getPrisma().user.findUniqueOrThrow({ where: { email: 'only-admin@example.org' } })).id,
          role: 'viewer',
        },
      ],
      ['/admin/create-user', { email: 'sneaky@example.org', password: 'x', name: 'x', role: 'admin' }],
      ['/admin/impersonate-user', { userId: target.id }],
      ['/admin/ban-user', { userId: target.id }],
      ['/admin/set-user-password', { userId: target.id, newPassword: 'password' }],
      ['/admin/remove-user', { userId: target.id }],
      ['/sign-up/email', { email: 'mallory@example.org', password: PASSWORD, name: 'm' }],
      ['/update-user', { name: 'renamed' }],
    ];
    for (const [path, body] of attempts) {
      const response = await call('POST', path, { peer: freshPeer(), body, headers: { cookie } });
      expect(response.status, path).toBe(404);
    }
    expect((await call('GET', '/admin/list-users', { peer: freshPeer(), headers: { cookie } })).status).toBe(404);
    const only = await getPrisma().user.findUniqueOrThrow({ where: { email: 'only-admin@example.org' } });
    expect(only.role).toBe('admin');
    expect(
      await getPrisma().user.count({ where: { email: { in: ['sneaky@example.org', 'mallory@example.org'] } } }),
    ).toBe(0);
    expect(await getPrisma().session.count({ where: { impersonatedBy: { not: null } } })).toBe(0);
  });

  it('change-password applies the password policy and is audited', async () => {
    const signedIn = await signIn('changer@example.org', PASSWORD, freshPeer());
    const cookie = cookieOf(signedIn);
    const weak = await call('POST', '/change-password', {
      peer: freshPeer(),
      body: { currentPassword: PASSWORD, newPassword: 'password1234' },
      headers: { cookie },
    });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toMatch(/too common/);
    const good = await call('POST', '/change-password', {
      peer: freshPeer(),
      body: { currentPassword: PASSWORD, newPassword: 'a different long passphrase 9' },
      headers: { cookie },
    });
    expect(good.status).toBe(200);
    expect((await signIn('changer@example.org', 'a different long passphrase 9', freshPeer())).status).toBe(200);
    const actions = (
      await getPrisma().auditLog.findMany({ where: { target: 'changer@example.org' }, orderBy: { id: 'asc' } })
    ).map((row) => row.action);
    expect(actions).toEqual(
      expect.arrayContaining(['user.password.self.failure', 'user.password.self', 'login.success']),
    );
  });
});

describe('cookies and sessions', () => {
  it('marks the session cookie Secure when a trusted proxy says the request came over TLS, not when anyone says so', async () => {
    const spoofed = await signIn('cookie@example.org', PASSWORD, freshPeer(), { 'x-forwarded-proto': 'https' });
    expect(spoofed.status).toBe(200);
    expect(spoofed.headers.getSetCookie().join('\n')).not.toMatch(/;\s*Secure/i);
    process.env.TORWATCH_TRUSTED_PROXIES = '10.9.9.10';
    const proxied = await signIn('cookie@example.org', PASSWORD, '10.9.9.10', {
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '192.0.2.60',
      origin: 'https://torwatch.test', // what a browser on the https side of the proxy sends
    });
    expect(proxied.status).toBe(200);
    const cookies = proxied.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) expect(cookie).toMatch(/;\s*Secure/i);
  });

  it('ends a session at its absolute lifetime (TORWATCH_SESSION_MAX_DAYS, default 7) however often it is used', async () => {
    const cookie = cookieOf(await signIn('old@example.org', PASSWORD, freshPeer()));
    const headers = new Headers({ cookie });
    expect(await sessionActor(headers)).not.toBeNull();
    const user = await getPrisma().user.findUniqueOrThrow({ where: { email: 'old@example.org' } });
    // Six days old and recently refreshed: still valid for the sliding 12 h, but not past day 7.
    await getPrisma().session.updateMany({
      where: { userId: user.id },
      data: { createdAt: new Date(Date.now() - 6.9 * 86_400_000), expiresAt: new Date(Date.now() + 11 * 3_600_000) },
    });
    expect(await sessionActor(headers)).not.toBeNull();
    // A refresh through Better Auth never pushes the end past createdAt + 7 days.
    await getPrisma().session.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() + 60_000) },
    });
    await call('GET', '/get-session', { peer: freshPeer(), headers: { cookie } });
    const refreshed = await getPrisma().session.findFirstOrThrow({ where: { userId: user.id } });
    expect(refreshed.expiresAt.getTime()).toBeLessThanOrEqual(refreshed.createdAt.getTime() + 7 * 86_400_000 + 1000);
    await getPrisma().session.updateMany({
      where: { userId: user.id },
      data: { createdAt: new Date(Date.now() - 7.1 * 86_400_000), expiresAt: new Date(Date.now() + 11 * 3_600_000) },
    });
    expect(await sessionActor(headers)).toBeNull();
    expect(await getPrisma().session.count({ where: { userId: user.id } })).toBe(0);
  });
});
