import { beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '@/lib/auth/apiTokens';
import { getPool } from '@/lib/db/pool';
import { addRelaysAndUsers, hitsByDevice, ingestAndMatch } from '@/lib/triage/__fixtures__/triageFixture';
import { resetDatabase, useTestDatabase } from '../../../../../tests/integration';
import { GET, PATCH } from './route';

useTestDatabase();

const ORIGIN = 'http://torwatch.test';
const tokens: Record<'triage' | 'read' | 'ingest', string> = { triage: '', read: '', ingest: '' };
let hitId = '';

function call(method: 'GET' | 'PATCH', id: string, token: string, body?: unknown): Promise<Response> {
  const request = new Request(`${ORIGIN}/api/v1/hits/${id}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (method === 'GET' ? GET : PATCH)(request, { params: Promise.resolve({ id }) });
}

beforeAll(async () => {
  await resetDatabase();
  await addRelaysAndUsers();
  await ingestAndMatch([
    { ts: '2026-11-05T10:00:00Z', deviceId: 'dev-soar', remoteIp: '198.51.100.7', remotePort: 9001 },
  ]);
  hitId = (await hitsByDevice('dev-soar'))[0].id;
  for (const scope of ['triage', 'read', 'ingest'] as const)
    tokens[scope] = (await createApiToken({ name: `soar-${scope}`, scope })).secret;
});

describe('GET/PATCH /api/v1/hits/{id}', () => {
  it('a triage token sets status, assignee and a note in one call, audited, and gets the state back', async () => {
    const response = await call('PATCH', hitId, tokens.triage, {
      status: 'true_positive',
      assignee: 'U-Analyst@example.test',
      note: 'confirmed by the SOAR playbook',
    });
    expect(response.status).toBe(200);
    const state = await response.json();
    expect(state).toMatchObject({
      hitId,
      status: 'true_positive',
      assigneeId: 'u-analyst',
      assignee: 'u-analyst@example.test',
    });
    expect(state.triagedAt).toMatch(/^2\d{3}-/);
    expect(state.notes).toEqual([
      expect.objectContaining({ author: 'soar-triage', body: 'confirmed by the SOAR playbook' }),
    ]);
    const audit = await getPool().query(`SELECT action, actor FROM audit_log WHERE target = $1 ORDER BY id`, [
      `hit:${hitId}`,
    ]);
    expect(audit.rows.map((r) => r.action)).toEqual(['hit.triage', 'hit.note']);
    expect((await call('GET', hitId, tokens.read)).status).toBe(200);
  });

  it('unassigns with null and leaves what the call does not name', async () => {
    const state = await (await call('PATCH', hitId, tokens.triage, { assignee: null })).json();
    expect(state).toMatchObject({ status: 'true_positive', assigneeId: null });
  });

  it('refuses bad input before changing anything, and a hit that does not exist', async () => {
    const refusals: Array<[unknown, RegExp]> = [
      [{}, /give a status, an assignee or a note/],
      [{ status: 'closed' }, /status/],
      [{ status: 'benign', note: '   ' }, /note/],
      [{ status: 'benign', assignee: 'u-viewer@example.test' }, /not an active analyst or admin/],
      [{ status: 'benign', extra: 1 }, /extra/],
    ];
    for (const [body, message] of refusals) {
      const response = await call('PATCH', hitId, tokens.triage, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await response.json()).error).toMatch(message);
    }
    expect((await hitsByDevice('dev-soar'))[0].status).toBe('true_positive');
    expect((await call('PATCH', '999999', tokens.triage, { status: 'benign' })).status).toBe(404);
    expect((await call('GET', 'abc', tokens.triage)).status).toBe(404);
  });

  it('a read token may look but not change; an ingest token neither', async () => {
    expect((await call('PATCH', hitId, tokens.read, { status: 'benign' })).status).toBe(403);
    expect((await call('GET', hitId, tokens.ingest)).status).toBe(403);
    expect((await call('PATCH', hitId, tokens.ingest, { status: 'benign' })).status).toBe(403);
    expect((await hitsByDevice('dev-soar'))[0].status).toBe('true_positive');
  });
});
