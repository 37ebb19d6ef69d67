// Who may reach what: one entry per page (app/**/page.tsx) and per exported method of each route handler
// (app/**/route.ts). tests/accessMatrix.int.test.ts fails when a file on disk has no entry here;
// e2e/accessMatrix.spec.ts asks a running server with every principal and compares.
//
// Adding a route or page is one line:
//   page('app/(dashboard)/foo/page.tsx', '/foo', 'analyst'),                 // minimum role, or 'public'
//   api('app/api/v1/foo/route.ts', 'GET', '/api/v1/foo', { role: 'analyst', scopes: ['read'] }),
//   api('app/api/v1/foo/route.ts', 'POST', '/api/v1/foo', { role: 'admin' }), // session only
// For dynamic segments give a sample path ('/hits/1'). The expected answers follow from apiRoute's rules; give
// `expect` to state an exception explicitly.
//
// Server actions (every export of a 'use server' file) are one line too:
//   action('app/(dashboard)/foo/actions.ts', 'saveFoo', 'admin'),
// The e2e spec finds the action's id and page in the build's server-reference-manifest.json and calls it with no
// arguments (so an allowed caller only gets a validation message): no session → 'login', too low a role →
// 'forbidden' (403), else 'ok'.
export type Principal = 'anonymous' | 'viewer' | 'analyst' | 'admin' | 'ingestToken' | 'readToken' | 'triageToken';
export const PRINCIPALS: Principal[] = [
  'anonymous',
  'viewer',
  'analyst',
  'admin',
  'ingestToken',
  'readToken',
  'triageToken',
];

type Role = 'viewer' | 'analyst' | 'admin';
type Scope = 'ingest' | 'read' | 'triage' | 'relays';
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Pages: 'ok' (rendered, a 404 for a sample id, or a redirect elsewhere than /login), 'login' (sent to /login), 'forbidden' (403).
 *  APIs: 'allowed' (past authentication and authorisation: any status but 401/403 and not 5xx), or 401 / 403. */
export type Outcome = 'ok' | 'login' | 'forbidden' | 'allowed' | 401 | 403;

export interface AccessEntry {
  file: string;
  kind: 'page' | 'api' | 'action';
  action?: string; // kind 'action': the exported name
  method: Method;
  path: string;
  body?: { contentType: string; data: string };
  expect: Record<Principal, Outcome>;
}

const ROLE_ORDER: Role[] = ['viewer', 'analyst', 'admin'];
const atLeast = (role: Role, min: Role) => ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(min);

export function page(
  file: string,
  path: string,
  min: Role | 'public',
  expect: Partial<Record<Principal, Outcome>> = {},
): AccessEntry {
  const user = (role: Role): Outcome => (min === 'public' || atLeast(role, min) ? 'ok' : 'forbidden');
  const outsider: Outcome = min === 'public' ? 'ok' : 'login'; // tokens never open pages
  return {
    file,
    kind: 'page',
    method: 'GET',
    path,
    expect: {
      anonymous: outsider,
      viewer: user('viewer'),
      analyst: user('analyst'),
      admin: user('admin'),
      ingestToken: outsider,
      readToken: outsider,
      triageToken: outsider,
      ...expect,
    },
  };
}

export function api(
  file: string,
  method: Method,
  path: string,
  access: 'anonymous' | { role: Role; scopes?: Scope[] },
  extra: Partial<Pick<AccessEntry, 'body'>> & { expect?: Partial<Record<Principal, Outcome>> } = {},
): AccessEntry {
  const base: Record<Principal, Outcome> =
    access === 'anonymous'
      ? {
          anonymous: 'allowed',
          viewer: 'allowed',
          analyst: 'allowed',
          admin: 'allowed',
          ingestToken: 'allowed',
          readToken: 'allowed',
          triageToken: 'allowed',
        }
      : {
          anonymous: 401,
          viewer: atLeast('viewer', access.role) ? 'allowed' : 403,
          analyst: atLeast('analyst', access.role) ? 'allowed' : 403,
          admin: 'allowed',
          ingestToken: access.scopes?.includes('ingest') ? 'allowed' : 403,
          readToken: access.scopes?.includes('read') ? 'allowed' : 403,
          triageToken: access.scopes?.includes('triage') ? 'allowed' : 403,
        };
  return { file, kind: 'api', method, path, body: extra.body, expect: { ...base, ...extra.expect } };
}

export function action(file: string, name: string, min: Role | 'anyone'): AccessEntry {
  const user = (role: Role): Outcome => (min === 'anyone' || atLeast(role, min) ? 'ok' : 'forbidden');
  const outsider: Outcome = min === 'anyone' ? 'ok' : 'login'; // tokens never act through server actions
  return {
    file,
    kind: 'action',
    action: name,
    method: 'POST',
    path: '',
    expect: {
      anonymous: outsider,
      viewer: user('viewer'),
      analyst: user('analyst'),
      admin: user('admin'),
      ingestToken: outsider,
      readToken: outsider,
      triageToken: outsider,
    },
  };
}

const json = (value: unknown) => ({ contentType: 'application/json', data: JSON.stringify(value) });
const allRefused = (status: 401 | 403): Partial<Record<Principal, Outcome>> =>
  Object.fromEntries(PRINCIPALS.map((p) => [p, status]));

export const ACCESS_MATRIX: AccessEntry[] = [
  // ── pages ──
  page('app/page.tsx', '/', 'viewer'),
  page('app/(auth)/login/page.tsx', '/login', 'public'),
  // Public, but once any account exists (as when the matrix runs) it sends everyone to the login page.
  page('app/(auth)/setup/page.tsx', '/setup', 'public', Object.fromEntries(PRINCIPALS.map((p) => [p, 'login']))),
  page('app/(dashboard)/overview/page.tsx', '/overview', 'viewer'),
  page('app/(dashboard)/trends/page.tsx', '/trends', 'viewer'),
  page('app/(dashboard)/reports/page.tsx', '/reports', 'viewer'),
  page('app/(dashboard)/hits/page.tsx', '/hits', 'viewer'),
  page('app/(dashboard)/episodes/page.tsx', '/episodes', 'viewer'),
  page('app/(dashboard)/devices/page.tsx', '/devices', 'viewer'),
  page('app/(dashboard)/devices/[id]/page.tsx', '/devices/matrix-device', 'viewer'),
  page('app/(dashboard)/hits/[id]/page.tsx', '/hits/1', 'viewer'),
  page('app/(dashboard)/relays/[fingerprint]/page.tsx', '/relays/0000000000000000000000000000000000000000', 'viewer'),
  page('app/(dashboard)/relays/page.tsx', '/relays', 'viewer'),
  page('app/(dashboard)/jobs/page.tsx', '/jobs', 'viewer'),
  page('app/(dashboard)/ingest/page.tsx', '/ingest', 'analyst'),
  page('app/(dashboard)/settings/page.tsx', '/settings', 'admin'),
  page('app/(dashboard)/settings/users/page.tsx', '/settings/users', 'admin'),
  page('app/(dashboard)/settings/tokens/page.tsx', '/settings/tokens', 'admin'),
  page('app/(dashboard)/settings/audit/page.tsx', '/settings/audit', 'admin'),
  page('app/(dashboard)/settings/schedules/page.tsx', '/settings/schedules', 'admin'),
  page('app/(dashboard)/settings/webhooks/page.tsx', '/settings/webhooks', 'admin'),
  page('app/(dashboard)/settings/connectors/page.tsx', '/settings/connectors', 'admin'),
  page('app/(dashboard)/settings/retention/page.tsx', '/settings/retention', 'admin'),
  page('app/(dashboard)/rules/page.tsx', '/rules', 'analyst'),
  page('app/(dashboard)/rules/new/page.tsx', '/rules/new', 'analyst'),
  // ── route handlers ──
  api('app/api/health/route.ts', 'GET', '/api/health', 'anonymous'),
  api('app/api/auth/[...all]/route.ts', 'GET', '/api/auth/get-session', 'anonymous'),
  // Sign-in is public by design; wrong credentials are refused for everyone. {principal} is replaced per caller, so
  // the per-account backoff (5 failures in a row) does not turn the 6th caller's answer into a 429.
  api('app/api/auth/[...all]/route.ts', 'POST', '/api/auth/sign-in/email', 'anonymous', {
    body: json({ email: 'nobody-{principal}@e2e.torwatch.test', password: 'not-the-password-1' }),
    expect: allRefused(401),
  }),
  api('app/api/v1/hits/route.ts', 'GET', '/api/v1/hits?format=json&from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z', {
    role: 'analyst',
    scopes: ['read'],
  }),
  api('app/api/v1/hits/[id]/route.ts', 'GET', '/api/v1/hits/1', { role: 'viewer', scopes: ['read', 'triage'] }),
  api(
    'app/api/v1/hits/[id]/route.ts',
    'PATCH',
    '/api/v1/hits/1',
    { role: 'analyst', scopes: ['triage'] },
    { body: json({}) },
  ), // authorised callers get 400: nothing to change
  api(
    'app/api/v1/episodes/route.ts',
    'GET',
    '/api/v1/episodes?format=json&from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z',
    { role: 'analyst', scopes: ['read'] },
  ),
  api('app/api/v1/episodes/[id]/route.ts', 'GET', '/api/v1/episodes/1', { role: 'viewer', scopes: ['read', 'triage'] }),
  api(
    'app/api/v1/episodes/[id]/route.ts',
    'PATCH',
    '/api/v1/episodes/1',
    { role: 'analyst', scopes: ['triage'] },
    { body: json({}) },
  ), // authorised callers get 400: nothing to change
  api(
    'app/(dashboard)/episodes/export/route.ts',
    'GET',
    '/episodes/export?format=csv',
    { role: 'analyst' },
    { expect: { anonymous: 'login', ingestToken: 'login', readToken: 'login', triageToken: 'login' } },
  ),
  api(
    'app/api/v1/ingest/route.ts',
    'POST',
    '/api/v1/ingest',
    { role: 'analyst', scopes: ['ingest'] },
    { body: { contentType: 'text/plain', data: '' } },
  ),
  // Under a page path, so proxy.ts sends callers without a session cookie to /login before apiRoute runs.
  api(
    'app/(dashboard)/hits/export/route.ts',
    'GET',
    '/hits/export?format=csv',
    { role: 'analyst' },
    { expect: { anonymous: 'login', ingestToken: 'login', readToken: 'login', triageToken: 'login' } },
  ),
  api('app/api/v1/relays/lookup/route.ts', 'GET', '/api/v1/relays/lookup?ip=192.0.2.1', {
    role: 'viewer',
    scopes: ['read'],
  }),
  api(
    'app/api/v1/relays/import/route.ts',
    'POST',
    '/api/v1/relays/import',
    { role: 'admin', scopes: ['relays'] },
    { body: { contentType: 'text/plain', data: '' } },
  ),
  api(
    'app/api/upload/route.ts',
    'POST',
    '/api/upload',
    { role: 'analyst' },
    { body: { contentType: 'text/plain', data: '' } },
  ),
  // ── server actions ──
  action('app/(auth)/setup/actions.ts', 'createFirstAdmin', 'anyone'), // checks the setup token itself
  action('app/(dashboard)/ingest/actions.ts', 'deleteBatchAction', 'admin'),
  action('app/(dashboard)/jobs/actions.ts', 'runMatchNow', 'admin'),
  action('app/(dashboard)/reports/actions.ts', 'saveSmtpAction', 'admin'),
  action('app/(dashboard)/reports/actions.ts', 'saveScheduleAction', 'admin'),
  action('app/(dashboard)/reports/actions.ts', 'sendNowAction', 'admin'),
  action('app/(dashboard)/overview/actions.ts', 'loadDemoAction', 'analyst'),
  action('app/(dashboard)/overview/actions.ts', 'backfillRelayHistoryAction', 'admin'),
  action('app/(dashboard)/settings/schedules/actions.ts', 'saveSchedule', 'admin'),
  action('app/(dashboard)/settings/schedules/actions.ts', 'setFeedEnabled', 'admin'),
  action('app/(dashboard)/settings/schedules/actions.ts', 'saveFeedUrl', 'admin'),
  action('app/(dashboard)/settings/tokens/actions.ts', 'createToken', 'admin'),
  action('app/(dashboard)/settings/tokens/actions.ts', 'revokeToken', 'admin'),
  action('app/(dashboard)/settings/users/actions.ts', 'addUser', 'admin'),
  action('app/(dashboard)/settings/users/actions.ts', 'changeUser', 'admin'),
  action('app/(dashboard)/settings/webhooks/actions.ts', 'createWebhookAction', 'admin'),
  action('app/(dashboard)/settings/webhooks/actions.ts', 'updateWebhookAction', 'admin'),
  action('app/(dashboard)/settings/webhooks/actions.ts', 'setWebhookEnabledAction', 'admin'),
  action('app/(dashboard)/settings/webhooks/actions.ts', 'deleteWebhookAction', 'admin'),
  action('app/(dashboard)/settings/webhooks/actions.ts', 'testWebhookAction', 'admin'),
  action('app/(dashboard)/settings/webhooks/actions.ts', 'retryDeliveryAction', 'admin'),
  action('app/(dashboard)/settings/connectors/actions.ts', 'addConnectorAction', 'admin'),
  action('app/(dashboard)/settings/connectors/actions.ts', 'runNowAction', 'admin'),
  action('app/(dashboard)/settings/connectors/actions.ts', 'setPausedAction', 'admin'),
  action('app/(dashboard)/settings/connectors/actions.ts', 'removeConnectorAction', 'admin'),
  action('app/(dashboard)/settings/retention/actions.ts', 'applyRetentionNow', 'admin'),
  action('app/(dashboard)/settings/connectors/actions.ts', 'setIntervalAction', 'admin'),
  action('app/(dashboard)/settings/connectors/actions.ts', 'replaceCredentialAction', 'admin'),
  action('lib/triage/actions.ts', 'setHitStatusAction', 'analyst'),
  action('lib/triage/actions.ts', 'setHitAssigneeAction', 'analyst'),
  action('lib/triage/actions.ts', 'addHitNoteAction', 'analyst'),
  action('lib/triage/actions.ts', 'bulkTriageAction', 'analyst'),
  action('lib/triage/actions.ts', 'createSuppressionRuleAction', 'analyst'),
  action('lib/triage/actions.ts', 'expireSuppressionRuleAction', 'analyst'),
  action('lib/episodes/actions.ts', 'triageEpisodesAction', 'analyst'),
];

/** The matrix keys a file on disk needs: `PAGE <file>` or `<METHOD> <file>` for each exported handler. */
export function entryKey(entry: Pick<AccessEntry, 'file' | 'kind' | 'method' | 'action'>): string {
  if (entry.kind === 'action') return `ACTION ${entry.file}#${entry.action}`;
  return entry.kind === 'page' ? `PAGE ${entry.file}` : `${entry.method} ${entry.file}`;
}
