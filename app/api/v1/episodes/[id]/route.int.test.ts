import { beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '@/lib/auth/apiTokens';
import { getPool } from '@/lib/db/pool';
import { addRelaysAndUsers, hitsByDevice, ingestAndMatch } from '@/lib/triage/__fixtures__/triageFixture';
import { resetDatabase, useTestDatabase } from '../../../../../tests/integration';
import { GET as LIST } from '../route';
import { GET, PATCH } from './route';

useTestDatabase();

const ORIGIN = 'http://torwatch.test';
const tokens: Record<'triage' | 'read' | 'ingest', string> = { triage: '', read: '', ingest: '' };
let episodeId = '';

function call(method: 'GET' | 'PATCH', id: string, token: string, body?: unknown): Promise<Response> {
  const request = new Request(`${ORIGIN}/api/v1/episodes/${id}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (method === 'GET' ? GET : PATCH)(request, { params: Promise.resolve({ id }) });
}

const hit = (ts: string, deviceId = 'dev-ep', process = 'Tor.exe') => ({
  ts,
  deviceId,
  remoteIp: '198.51.100.7',
  remotePort: 9001,
  process,
  reportId: `${deviceId}-${ts}`,
});

beforeAll(async () => {
  await resetDatabase();
  await addRelaysAndUsers();
  await ingestAndMatch([
    hit('2026-11-05T10:00:00Z'),
    hit('2026-11-05T12:00:00Z', 'dev-ep', 'TOR.EXE'),
    hit('2026-11-06T09:00:00Z'),
    hit('2026-11-05T10:00:00Z', '=cmd|calc', 'tor.exe'),
  ]);
  const { rows } = await getPool().query(`SELECT id::text FROM episode WHERE device_id = 'dev-ep'`);
  episodeId = rows[0].id;
  for (const scope of ['triage', 'read', 'ingest'] as const)
    tokens[scope] = (await createApiToken({ name: `soar-${scope}`, scope })).secret;
});

describe('/api/v1/episodes', () => {
  it('reads from/to without a zone as UTC, like every other time parameter (lib/time/instant.ts)', async () => {
    const ids = async (query: string) => {
      const response = await LIST(
        new Request(`${ORIGIN}/api/v1/episodes?format=json&${query}`, {
          headers: { authorization: `Bearer ${tokens.read}` },
        }),
      );
      expect(response.status, query).toBe(200);
      return ((await response.json()) as Array<{ DeviceId: string }>).map((e) => e.DeviceId).sort();
    };
    // dev-ep's episode lasts until 2026-11-06T09:00Z, the other ends 2026-11-05T10:00Z.
    expect(await ids('from=2026-11-06T08:00:00')).toEqual(['dev-ep']);
    expect(await ids('from=2026-11-06T08:00:00Z')).toEqual(['dev-ep']);
    expect(await ids('to=2026-11-05T10:00:00')).toEqual([]);
    expect(await ids('to=2026-11-05T10:00:01')).toEqual(['=cmd|calc', 'dev-ep']);
  });

  it('lists the episodes with exactly the documented columns, CSV formula-safe', async () => {
    const list = (format: string, query = '') =>
      LIST(
        new Request(`${ORIGIN}/api/v1/episodes?format=${format}${query}`, {
          headers: { authorization: `Bearer ${tokens.read}` },
        }),
      );
    const json = await (await list('json')).json();
    expect(json).toHaveLength(2);
    expect(Object.keys(json[0])).toEqual([
      'EpisodeId',
      'DeviceId',
      'DeviceName',
      'ProcessFileName',
      'FirstSeen',
      'LastSeen',
      'Hits',
      'RelayFingerprints',
      'CountryCodes',
      'MaxConfidence',
      'IsExit',
      'Status',
    ]);
    const episode = json.find((e: { DeviceId: string }) => e.DeviceId === 'dev-ep');
    expect(episode).toMatchObject({
      EpisodeId: episodeId,
      FirstSeen: '2026-11-05T10:00:00.000000Z',
      LastSeen: '2026-11-06T09:00:00.000000Z',
      Hits: 3,
      CountryCodes: ['de'],
      MaxConfidence: 'high',
      IsExit: false,
      Status: 'new',
    });
    const csv = await (await list('csv')).text();
    expect(csv.split('\r\n')[0]).toBe(
      'EpisodeId,DeviceId,DeviceName,ProcessFileName,FirstSeen,LastSeen,Hits,RelayFingerprints,CountryCodes,MaxConfidence,IsExit,Status',
    );
    expect(csv).toContain(`,'=cmd|calc,`);
    expect(await (await list('json', '&from=2026-11-07T00:00:00Z')).json()).toEqual([]);
    const refused = await LIST(
      new Request(`${ORIGIN}/api/v1/episodes`, { headers: { authorization: `Bearer ${tokens.ingest}` } }),
    );
    expect(refused.status).toBe(403);
  });

  it('triages every hit of the episode with one audit row, and hits that join later take the decision', async () => {
    const response = await call('PATCH', episodeId, tokens.triage, {
      status: 'benign',
      assignee: 'u-analyst@example.test',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: episodeId,
      status: 'benign',
      decidedStatus: 'benign',
      decidedAssignee: 'u-analyst@example.test',
      openHits: 0,
    });
    expect((await hitsByDevice('dev-ep')).map((h) => h.status)).toEqual(['benign', 'benign', 'benign']);
    expect((await hitsByDevice('=cmd|calc')).map((h) => h.status)).toEqual(['new']);
    const audit = await getPool().query(`SELECT action, details FROM audit_log WHERE target = $1`, [
      `episode:${episodeId}`,
    ]);
    expect(audit.rows).toEqual([
      expect.objectContaining({ action: 'episode.triage', details: expect.objectContaining({ hitsUpdated: 3 }) }),
    ]);
    // A later hit within 24 h joins the episode and takes its decision; one after a longer gap starts a new episode.
    await ingestAndMatch([hit('2026-11-07T08:00:00Z'), hit('2026-11-10T08:00:00Z')]);
    const hits = await getPool().query(
      `SELECT status, assignee_id, episode_id::text FROM hit WHERE device_id = 'dev-ep' ORDER BY ts`,
    );
    expect(hits.rows.slice(3)).toEqual([
      { status: 'benign', assignee_id: 'u-analyst', episode_id: episodeId },
      { status: 'new', assignee_id: null, episode_id: expect.not.stringMatching(`^${episodeId}$`) },
    ]);
    expect((await (await call('GET', episodeId, tokens.read)).json()).hitCount).toBe(4);
  });

  it('refuses bad input and unknown episodes', async () => {
    for (const body of [{}, { status: 'closed' }, { status: 'benign', note: 'x' }]) {
      expect((await call('PATCH', episodeId, tokens.triage, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await call('PATCH', '999999', tokens.triage, { status: 'benign' })).status).toBe(404);
    expect((await call('PATCH', episodeId, tokens.read, { status: 'benign' })).status).toBe(403);
    expect((await call('GET', 'abc', tokens.read)).status).toBe(404);
  });
});
