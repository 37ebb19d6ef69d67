import { beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { getPrisma } from '../db/client';
import { HttpError } from '../http/httpError';
import { createApiToken, verifyApiToken } from './apiTokens';
import { getAuth } from './auth';
import { createUser } from './users';

vi.mock('server-only', () => ({}));
const { apiRoute } = await import('./apiRoute');

useTestDatabase();

const ORIGIN = 'http://torwatch.test';
const PASSWORD = 'a long enough passphrase 42';
const cookies: Record<string, string> = {};
const tokens: Record<string, string> = {};

async function sessionCookie(email: string): Promise<string> {
  const response = await getAuth().handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ email, password: PASSWORD }),
    }),
  );
  expect(response.status).toBe(200);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

beforeAll(async () => {
  process.env.BETTER_AUTH_SECRET = 'test-secret-test-secret-test-secret-0123456789';
  await resetDatabase();
  for (const role of ['viewer', 'analyst', 'admin'] as const) {
    await createUser({ email: `${role}@example.org`, role, password: PASSWORD });
    cookies[role] = await sessionCookie(`${role}@example.org`);
  }
  tokens.ingest = (await createApiToken({ name: 'ingest-bot', scope: 'ingest' })).secret;
  tokens.read = (await createApiToken({ name: 'reader', scope: 'read' })).secret;
});

const readRoute = apiRoute(
  { role: 'analyst', scopes: ['read'], query: z.object({ limit: z.coerce.number().int().max(100) }) },
  async ({ actor, query }) => ({ who: actor.label, limit: query.limit, big: 2n ** 70n }),
);
const writeRoute = apiRoute({ role: 'analyst', body: z.object({ note: z.string().min(1) }) }, async ({ body }) => ({
  saved: body.note,
}));

const get = (headers: Record<string, string>, query = '?limit=5') =>
  readRoute(new Request(`${ORIGIN}/api/v1/thing${query}`, { headers }));
const post = (headers: Record<string, string>, body: string, type = 'application/json') =>
  writeRoute(
    new Request(`${ORIGIN}/api/v1/thing`, {
      method: 'POST',
      headers: { host: 'torwatch.test', 'content-type': type, ...headers },
      body,
    }),
  );

describe('apiRoute', () => {
  it('answers 401 without credentials and 403 for a role or scope that is too low', async () => {
    expect((await get({})).status).toBe(401);
    expect((await get({ cookie: cookies.viewer })).status).toBe(403);
    expect((await get({ authorization: `Bearer ${tokens.ingest}` })).status).toBe(403);
    expect((await get({ authorization: 'Bearer tw_made-up' })).status).toBe(401);
  });

  it('runs the handler for an allowed session or token and serialises bigints', async () => {
    const bySession = await get({ cookie: cookies.analyst });
    expect(bySession.status).toBe(200);
    expect(await bySession.json()).toEqual({ who: 'analyst@example.org', limit: 5, big: (2n ** 70n).toString() });
    const byToken = await get({ authorization: `Bearer ${tokens.read}` });
    expect((await byToken.json()).who).toBe('reader');
  });

  it('validates after authenticating: 400 with the zod issue', async () => {
    expect((await get({}, '?limit=5000')).status).toBe(401);
    const response = await get({ cookie: cookies.admin }, '?limit=5000');
    expect(response.status).toBe(400);
    expect((await response.json()).issues[0].path).toBe('limit');
  });

  it('refuses a cookie mutation from another origin (CSRF) but not a same-origin one', async () => {
    expect((await post({ cookie: cookies.analyst, origin: 'https://evil.example' }, '{"note":"x"}')).status).toBe(403);
    expect((await post({ cookie: cookies.analyst }, '{"note":"x"}')).status).toBe(403); // no Origin, no Referer
    expect((await post({ cookie: cookies.analyst, referer: `${ORIGIN}/hits` }, '{"note":"x"}')).status).toBe(200);
    expect(await (await post({ cookie: cookies.analyst, origin: ORIGIN }, '{"note":"hello"}')).json()).toEqual({
      saved: 'hello',
    });
  });

  it('answers 415 for a non-JSON body, 413 for a body over the limit, 400 for broken JSON', async () => {
    expect(
      (await post({ cookie: cookies.analyst, origin: ORIGIN }, 'note=x', 'application/x-www-form-urlencoded')).status,
    ).toBe(415);
    expect(
      (await post({ cookie: cookies.analyst, origin: ORIGIN }, JSON.stringify({ note: 'x'.repeat(1024 * 1024 + 10) })))
        .status,
    ).toBe(413);
    expect((await post({ cookie: cookies.analyst, origin: ORIGIN }, '{"note":')).status).toBe(400);
  });

  it('passes HttpError through and hides everything else behind a generic 500', async () => {
    const errorSpy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const teapot = apiRoute({ role: 'viewer' }, async () => {
      throw new HttpError(409, 'already triaged');
    });
    const broken = apiRoute({ role: 'viewer' }, async () => {
      await getPrisma().$queryRawUnsafe('SELECT * FROM no_such_table');
    });
    const conflict = await teapot(new Request(`${ORIGIN}/x`, { headers: { cookie: cookies.viewer } }));
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({ error: 'already triaged' });
    const failure = await broken(new Request(`${ORIGIN}/x`, { headers: { cookie: cookies.viewer } }));
    expect(failure.status).toBe(500);
    const text = await failure.text();
    expect(text).not.toMatch(/no_such_table|SELECT|at /);
    expect(JSON.parse(text).error).toBe('internal error');
    expect(errorSpy).toHaveBeenCalled();
    errorSpy.mockRestore();
  });

  it('answers 403, not 500, when the data layer refuses the actor (QueryForbiddenError)', async () => {
    const { QueryForbiddenError } = await import('@/lib/auth/authorise');
    const route = apiRoute({ role: 'viewer' }, async () => {
      throw new QueryForbiddenError('Forbidden: this needs the analyst role.');
    });
    const response = await route(new Request(`${ORIGIN}/x`, { headers: { cookie: cookies.viewer } }));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'Forbidden: this needs the analyst role.' });
  });

  it('audits failed bearer tokens, at most one row per client address a minute', async () => {
    process.env.TORWATCH_PEER_SECRET = 'peer-secret-for-tests';
    const from = (address: string, token: string) =>
      readRoute(
        new Request(`${ORIGIN}/api/v1/thing?limit=5`, {
          headers: { authorization: `Bearer ${token}`, 'x-torwatch-peer': `peer-secret-for-tests ${address}` },
        }),
      );
    for (let i = 0; i < 5; i++) expect((await from('192.0.2.200', `tw_guess${i}`)).status).toBe(401);
    expect((await from('192.0.2.201', 'tw_other-guess')).status).toBe(401);
    const rows = await getPrisma().auditLog.findMany({
      where: { action: 'token.failure', ip: { startsWith: '192.0.2.' } },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((row) => [row.ip, row.target])).toEqual([
      ['192.0.2.200', 'tw_guess0'],
      ['192.0.2.201', 'tw_other-g'],
    ]);
    delete process.env.TORWATCH_PEER_SECRET;
  });

  it('passes route params through', async () => {
    const route = apiRoute({ role: 'viewer' }, async ({ params }) => params);
    const response = await route(new Request(`${ORIGIN}/hits/7`, { headers: { cookie: cookies.viewer } }), {
      params: Promise.resolve({ id: '7' }),
    });
    expect(await response.json()).toEqual({ id: '7' });
  });
});

describe('API tokens', () => {
  it('are stored only as a sha256 hash with a recognisable prefix', async () => {
    const { token, secret } = await createApiToken({ name: 'hash-check', scope: 'read' });
    const row = await getPrisma().apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(secret.startsWith(row.prefix)).toBe(true);
  });

  it('stop working when expired or revoked, and record their last use', async () => {
    const { token, secret } = await createApiToken({
      name: 'short-lived',
      scope: 'ingest',
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(await verifyApiToken(secret)).toMatchObject({
      kind: 'token',
      label: 'short-lived',
      scope: 'ingest',
      role: null,
    });
    expect((await getPrisma().apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt).not.toBeNull();
    expect(await verifyApiToken(secret, new Date(Date.now() + 120_000))).toBeNull();
    const { revokeApiToken } = await import('./apiTokens');
    expect(await revokeApiToken(token.id)).toBe(true);
    expect(await revokeApiToken(token.id)).toBe(false);
    expect(await verifyApiToken(secret)).toBeNull();
    await expect(
      createApiToken({ name: 'past', scope: 'read', expiresAt: new Date(Date.now() - 1000) }),
    ).rejects.toThrow(/in the past/);
  });
});
