import { beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { getPrisma } from '../db/client';
import { getAuth } from './auth';
import { sessionActor } from './session';
import { createUser, findUser, unlockUser } from './users';

useTestDatabase();

const ORIGIN = 'http://torwatch.test';
const PASSWORD = 'correct horse battery staple';

function signIn(email: string, password: string, headers: Record<string, string> = {}): Promise<Response> {
  return getAuth().handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, 'x-forwarded-for': '192.0.2.10', ...headers },
      body: JSON.stringify({ email, password }),
    }),
  );
}

function cookieOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

beforeAll(async () => {
  process.env.BETTER_AUTH_SECRET = 'test-secret-test-secret-test-secret-0123456789';
  await resetDatabase();
  await createUser({ email: 'Analyst@Example.org', role: 'analyst', password: PASSWORD });
});

describe('sign-in', () => {
  it('gives a session cookie that resolves to the user and role', async () => {
    const response = await signIn('analyst@example.org', PASSWORD);
    expect(response.status).toBe(200);
    const setCookie = response.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const actor = await sessionActor(new Headers({ cookie: cookieOf(response) }));
    expect(actor).toMatchObject({ kind: 'user', label: 'analyst@example.org', role: 'analyst' });
    const audit = await getPrisma().auditLog.findMany({ where: { action: 'login.success' } });
    expect(audit).toHaveLength(1);
  });

  it('refuses a wrong password and a foreign Origin', async () => {
    expect((await signIn('analyst@example.org', 'wrong password here')).status).toBe(401);
    expect((await signIn('analyst@example.org', PASSWORD, { origin: 'https://evil.example' })).status).toBe(403);
  });

  it('refuses open sign-up', async () => {
    const response = await getAuth().handler(
      new Request(`${ORIGIN}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ email: 'mallory@example.org', password: PASSWORD, name: 'm', role: 'admin' }),
      }),
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await getPrisma().user.count({ where: { email: 'mallory@example.org' } })).toBe(0);
  });
});

describe('unlock', () => {
  it("an admin's unlock forgets the sign-in backoff", async () => {
    const user = await createUser({ email: 'viewer@example.org', role: 'viewer', password: PASSWORD });
    for (let i = 0; i < 5; i++) expect((await signIn('viewer@example.org', `wrong password ${i}!`)).status).toBe(401);
    expect((await signIn('viewer@example.org', PASSWORD)).status).toBe(429);
    expect((await findUser(user.id))!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    await unlockUser(user.id);
    expect((await findUser(user.id))!.failedLogins).toBe(0);
    expect((await signIn('viewer@example.org', PASSWORD)).status).toBe(200);
  });
});
