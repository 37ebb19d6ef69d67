import path from 'node:path';
import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test';
import {
  ACCESS_MATRIX,
  PRINCIPALS,
  entryKey,
  type AccessEntry,
  type Outcome,
  type Principal,
} from '../tests/accessMatrix';
import { routeKeysOnDisk } from '../tests/accessMatrixFiles';
import { loginAs, torwatchCli } from './login';
import { specServer, useSpecServer } from './specServer';

// Asks this spec's server every (entry × principal) question in tests/accessMatrix.ts.
useSpecServer('authz-matrix');
test.setTimeout(180_000);

async function credentials(
  browserPage: import('@playwright/test').Page,
): Promise<Record<Principal, Record<string, string>>> {
  const cookieHeader = async (role: 'viewer' | 'analyst' | 'admin') => {
    await loginAs(browserPage, role);
    return (await browserPage.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  };
  const token = (scope: string) => {
    const result = torwatchCli(['token', 'create', '--name', `matrix-${scope}`, '--scope', scope]);
    if (result.status !== 0) throw new Error(result.stderr);
    return result.stdout.trim().split('\n').pop()!;
  };
  return {
    anonymous: {},
    viewer: { cookie: await cookieHeader('viewer') },
    analyst: { cookie: await cookieHeader('analyst') },
    admin: { cookie: await cookieHeader('admin') },
    ingestToken: { authorization: `Bearer ${token('ingest')}` },
    readToken: { authorization: `Bearer ${token('read')}` },
    triageToken: { authorization: `Bearer ${token('triage')}` },
  };
}

function outcomeOf(entry: AccessEntry, status: number, location: string | undefined): Outcome | string {
  const toLogin =
    status >= 300 && status < 400 && !!location && new URL(location, specServer().url).pathname === '/login';
  if (toLogin) return 'login';
  if (entry.kind === 'page')
    return status === 403 ? 'forbidden' : status < 400 || status === 404 ? 'ok' : `status ${status}`;
  if (status === 401 || status === 403) return status;
  return status < 500 ? 'allowed' : `status ${status}`;
}

test('every page and route answers each principal as the access matrix says', async ({ page }) => {
  const listed = new Set(ACCESS_MATRIX.map(entryKey));
  expect(
    routeKeysOnDisk(path.resolve(import.meta.dirname, '..')).filter((key) => !listed.has(key)),
    'entries missing from tests/accessMatrix.ts',
  ).toEqual([]);
  const headersFor = await credentials(page);
  const mismatches: string[] = [];
  for (const principal of PRINCIPALS) {
    const context: APIRequestContext = await playwrightRequest.newContext({
      baseURL: specServer().url,
      extraHTTPHeaders: { origin: specServer().url, ...headersFor[principal] },
    });
    for (const entry of ACCESS_MATRIX) {
      const response = await context.fetch(entry.path, {
        method: entry.method,
        maxRedirects: 0,
        failOnStatusCode: false,
        ...(entry.body ? { headers: { 'content-type': entry.body.contentType }, data: entry.body.data } : {}),
      });
      const got = outcomeOf(entry, response.status(), response.headers()['location']);
      if (got !== entry.expect[principal])
        mismatches.push(
          `${entry.method} ${entry.path} as ${principal}: expected ${entry.expect[principal]}, got ${got}`,
        );
    }
    await context.dispose();
  }
  expect(mismatches).toEqual([]);
});
