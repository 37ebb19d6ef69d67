import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { addRelaysAndUsers, admin, ingestAndMatch } from '@/lib/triage/__fixtures__/triageFixture';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { saveWebhook } from './webhooks';

useTestDatabase();

const event = (deviceId: string, ts: string, process = 'tor.exe') => ({
  ts,
  deviceId,
  remoteIp: '198.51.100.7',
  remotePort: 9001,
  process,
  reportId: `${deviceId}-${ts}`,
});

async function deliveries(runId: number) {
  const { rows } = await getPool().query(
    `SELECT w.name, d.hit_count AS "hitCount", d.payload FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id
     WHERE d.match_run_id = $1 ORDER BY w.name, d.id`,
    [runId],
  );
  return rows;
}

describe('per-episode webhooks (the default)', () => {
  beforeAll(async () => {
    await resetDatabase();
    await addRelaysAndUsers();
    process.env.TORWATCH_PUBLIC_URL = 'https://torwatch.example';
    const hook = { url: 'https://hooks.example.test/x', format: 'generic', minConfidence: 'high' } as const;
    await saveWebhook(admin, null, { ...hook, name: 'per-episode' });
    await saveWebhook(admin, null, { ...hook, name: 'per-hit', alertPer: 'hit' });
  });

  it('sends one message per new episode naming its hits and linking to it; hits joining it later send nothing', async () => {
    const first = await ingestAndMatch([
      event('laptop-1', '2026-11-10T10:00:00Z'),
      event('laptop-1', '2026-11-10T11:00:00Z', 'TOR.EXE'),
      event('laptop-1', '2026-11-10T12:00:00Z'),
      event('laptop-2', '2026-11-10T12:00:00Z'),
    ]);
    const sent = await deliveries(first);
    expect(sent.map((d) => [d.name, d.hitCount])).toEqual([
      ['per-episode', 3],
      ['per-episode', 1],
      ['per-hit', 4],
    ]);
    const [laptop1] = sent;
    const { rows } = await getPool().query(`SELECT id::text FROM episode WHERE device_id = 'laptop-1'`);
    expect(laptop1.payload).toMatchObject({
      event: 'torwatch.episode.new',
      hitCount: 3,
      episode: { id: rows[0].id, deviceId: 'laptop-1', hitCount: 3, newHits: 3, maxConfidence: 'high' },
      url: `https://torwatch.example/episodes?device=laptop-1&range=90d&episode=${rows[0].id}`,
    });
    // Four more hits: three join laptop-1's episode, one starts a new episode two days later.
    const second = await ingestAndMatch([
      event('laptop-1', '2026-11-10T20:00:00Z'),
      event('laptop-1', '2026-11-11T08:00:00Z'),
      event('laptop-1', '2026-11-11T09:00:00Z'),
      event('laptop-1', '2026-11-14T09:00:00Z'),
    ]);
    expect((await deliveries(second)).map((d) => [d.name, d.hitCount, d.payload.episode?.firstSeen])).toEqual([
      ['per-episode', 1, '2026-11-14T09:00:00.000000Z'],
      ['per-hit', 4, undefined],
    ]);
  });
});
