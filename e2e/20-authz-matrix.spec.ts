import { readFileSync } from 'node:fs';
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
import { E2E_BASE_URL, E2E_PORT } from './e2eEnv';
import { loginAs, torwatchCli } from './login';

// Asks the running server every (entry × principal) question in tests/accessMatrix.ts. Named authz-* so it runs after
// 10-auth.spec.ts, whose first-run setup test needs a server without users.
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

// Server actions: their ids and the pages that carry them, from the build the e2e server runs.
const DIST_DIR = process.env.TORWATCH_DIST_DIR ?? (E2E_PORT === 3210 ? '.next' : `.next-e2e-${E2E_PORT}`);

function actionTargets(): Map<string, { id: string; path: string }> {
  const manifest = JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, '..', DIST_DIR, 'server', 'server-reference-manifest.json'), 'utf8'),
  ) as { node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }> };
  const targets = new Map<string, { id: string; path: string }>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    const worker = Object.keys(entry.workers).find((w) => w.endsWith('/page')) ?? Object.keys(entry.workers)[0];
    const pagePath =
      worker
        .replace(/^app/, '')
        .replace(/\/page$/, '')
        .replace(/\/\([^)]+\)/g, '')
        .replace(/\[[^\]]+\]/g, '1') || '/';
    targets.set(`${entry.filename}#${entry.exportedName}`, { id, path: pagePath });
  }
  return targets;
}

function outcomeOf(
  entry: AccessEntry,
  status: number,
  location: string | undefined,
  actionRedirect?: string,
): Outcome | string {
  const toLogin = status >= 300 && status < 400 && !!location && new URL(location, E2E_BASE_URL).pathname === '/login';
  if (toLogin) return 'login';
  if (entry.kind === 'action') {
    if (actionRedirect && new URL(actionRedirect, E2E_BASE_URL).pathname === '/login') return 'login';
    return status === 403 ? 'forbidden' : status === 200 ? 'ok' : `status ${status}`;
  }
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
  const actions = actionTargets();
  const mismatches: string[] = [];
  for (const principal of PRINCIPALS) {
    const context: APIRequestContext = await playwrightRequest.newContext({
      baseURL: E2E_BASE_URL,
      extraHTTPHeaders: { origin: E2E_BASE_URL, ...headersFor[principal] },
    });
    for (const entry of ACCESS_MATRIX) {
      let target = entry.path;
      let headers: Record<string, string> = {};
      let data: string | undefined = entry.body?.data.replaceAll('{principal}', principal);
      if (entry.kind === 'action') {
        const found = actions.get(`${entry.file}#${entry.action}`);
        if (!found) {
          mismatches.push(`${entry.file}#${entry.action}: not in the build's server-reference-manifest.json`);
          continue;
        }
        target = found.path;
        // Called with no arguments: an allowed caller gets a validation message, nothing changes.
        headers = { 'next-action': found.id, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component' };
        data = '[]';
      } else if (entry.body) headers = { 'content-type': entry.body.contentType };
      const response = await context.fetch(target, {
        method: entry.method,
        maxRedirects: 0,
        failOnStatusCode: false,
        headers,
        ...(data !== undefined ? { data } : {}),
      });
      const got = outcomeOf(
        entry,
        response.status(),
        response.headers()['location'],
        response.headers()['x-action-redirect'],
      );
      const label = entry.kind === 'action' ? `action ${entry.file}#${entry.action}` : `${entry.method} ${entry.path}`;
      if (got !== entry.expect[principal])
        mismatches.push(`${label} as ${principal}: expected ${entry.expect[principal]}, got ${got}`);
    }
    await context.dispose();
  }
  expect(mismatches).toEqual([]);
});
