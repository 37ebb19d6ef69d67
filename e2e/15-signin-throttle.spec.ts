import { request as httpRequest } from 'node:http';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { E2E_PORT, e2eCommandEnv } from './e2eEnv';
import { E2E_PASSWORD, e2eEmail, ensureE2eUser } from './login';

// Issue #14 against the running server: the client address comes from the TCP socket (bin/web-server.mjs stamps it),
// so a client cannot pick its own rate-limit bucket or audit address with X-Forwarded-For. Each test connects from
// its own loopback address (127.0.0.x: Linux routes all of 127/8 to lo), so the budgets of other specs, which sign in
// from 127.0.0.1, are untouched. scripts/e2e-server.mjs trusts 127.0.0.9 as a reverse proxy.
const PROXY = '127.0.0.9';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function post(path: string, from: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return send('POST', path, from, JSON.stringify(body), headers);
}

function send(
  method: string,
  path: string,
  from: string,
  data: string | undefined,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: E2E_PORT,
        localAddress: from,
        method,
        path,
        headers: {
          origin: `http://127.0.0.1:${E2E_PORT}`,
          ...(data !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    if (data !== undefined) req.write(data);
    req.end();
  });
}

async function auditIp(action: string, target: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: e2eCommandEnv().DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ ip: string | null }>(
      'SELECT ip FROM audit_log WHERE action = $1 AND target = $2 ORDER BY id DESC LIMIT 1',
      [action, target],
    );
    return rows[0]?.ip ?? null;
  } finally {
    await client.end();
  }
}

const signIn = (from: string, email: string, password: string, headers: Record<string, string> = {}) =>
  post('/api/auth/sign-in/email', from, { email, password }, headers);

test.setTimeout(180_000);

test('30 sign-ins a minute per socket address, however the client rotates X-Forwarded-For', async () => {
  const from = '127.0.0.42';
  for (let i = 0; i < 30; i++) {
    const answer = await signIn(from, `rotate${i}@e2e.torwatch.test`, 'wrong password here', {
      'x-forwarded-for': `198.51.100.${i}`,
      'x-real-ip': `198.51.100.${i}`,
    });
    expect(answer.status, `attempt ${i + 1}`).toBe(401);
  }
  const refused = await signIn(from, 'rotate-last@e2e.torwatch.test', 'wrong password here', {
    'x-forwarded-for': '198.51.100.250',
  });
  expect(refused.status).toBe(429);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  // Another socket address has its own budget.
  expect((await signIn('127.0.0.43', 'rotate-other@e2e.torwatch.test', 'wrong password here')).status).toBe(401);
});

test('the audit log records the socket address, not a forged header', async () => {
  const email = 'forger@e2e.torwatch.test';
  await signIn('127.0.0.45', email, 'wrong password here', {
    'x-forwarded-for': '192.0.2.1',
    'x-torwatch-peer': 'made-up-secret 192.0.2.2',
  });
  expect(await auditIp('login.failure', email)).toBe('127.0.0.45');
});

test('behind a trusted proxy: its X-Forwarded-For names the client, its X-Forwarded-Proto makes cookies Secure', async () => {
  ensureE2eUser('viewer');
  const email = 'proxied@e2e.torwatch.test';
  await signIn(PROXY, email, 'wrong password here', { 'x-forwarded-for': '6.6.6.6, 192.0.2.20' });
  expect(await auditIp('login.failure', email)).toBe('192.0.2.20');
  const viaTls = await signIn(PROXY, e2eEmail('viewer'), E2E_PASSWORD, {
    'x-forwarded-for': '192.0.2.21',
    'x-forwarded-proto': 'https',
    origin: `https://127.0.0.1:${E2E_PORT}`, // what a browser on the https side of the proxy sends
  });
  expect(viaTls.status).toBe(200);
  const secure = [viaTls.headers['set-cookie'] ?? []].flat();
  expect(secure.length).toBeGreaterThan(0);
  for (const cookie of secure) expect(cookie).toMatch(/;\s*Secure/i);
  // The same claim from a client that is not a trusted proxy changes nothing.
  const direct = await signIn('127.0.0.46', e2eEmail('viewer'), E2E_PASSWORD, { 'x-forwarded-proto': 'https' });
  expect(direct.status).toBe(200);
  for (const cookie of [direct.headers['set-cookie'] ?? []].flat()) expect(cookie).not.toMatch(/;\s*Secure/i);
});

test('Better Auth endpoints TorWatch does not offer answer 404', async () => {
  for (const path of ['/api/auth/admin/create-user', '/api/auth/admin/set-role', '/api/auth/sign-up/email'])
    expect((await post(path, '127.0.0.47', {})).status, path).toBe(404);
});
