import { beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, useTestDatabase } from '../../../tests/integration';
import { createApiToken } from '@/lib/auth/apiTokens';
import { getAuth } from '@/lib/auth/auth';
import { createUser } from '@/lib/auth/users';

const { GET } = await import('./route');

useTestDatabase();

const ORIGIN = 'http://torwatch.test';
const PASSWORD = 'a long enough passphrase 42';
let cookie = '';
let token = '';

beforeAll(async () => {
  process.env.BETTER_AUTH_SECRET = 'test-secret-test-secret-test-secret-0123456789';
  await resetDatabase();
  await createUser({ email: 'viewer@example.org', role: 'viewer', password: PASSWORD });
  const response = await getAuth().handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ email: 'viewer@example.org', password: PASSWORD }),
    }),
  );
  cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  token = (await createApiToken({ name: 'monitor', scope: 'ingest' })).secret;
});

const health = (headers: Record<string, string> = {}) => GET(new Request(`${ORIGIN}/api/health`, { headers }));

describe('GET /api/health', () => {
  it('tells an anonymous caller only that the server is up', async () => {
    const response = await health();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'up' });
    const forged = await health({ authorization: 'Bearer tw_not-a-token' });
    expect(await forged.json()).toEqual({ status: 'up' });
  });

  it('gives the details to a session or an API token of any scope', async () => {
    for (const headers of [{ cookie }, { authorization: `Bearer ${token}` }] as Record<string, string>[]) {
      const body = await (await health(headers)).json();
      expect(body).toMatchObject({ database: true });
      expect(body).toHaveProperty('worker');
      expect(body).toHaveProperty('relayDataAgeHours');
    }
  });
});
