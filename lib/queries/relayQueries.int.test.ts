import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getPool, getPrisma } from '@/lib/db/client';
import { fingerprintOf, onionooDetails, torRelayCsv } from '@/lib/relays/__fixtures__/relayDocuments';
import { DEFAULT_FEEDS } from '@/lib/relays/relayFeeds';
import { importRelaySnapshot } from '@/lib/relays/importRelaySnapshot';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { getRelay } from './getRelay';
import { getRelayLookup } from './getRelayLookup';
import { listRelayFeeds } from './listRelayFeeds';
import { searchRelays } from './searchRelays';

useTestDatabase();
const viewer: Actor = { kind: 'user', id: 'v', label: 'v@example.test', role: 'viewer' };
const analyst: Actor = { kind: 'user', id: 'a', label: 'a@example.test', role: 'analyst' };
const ingestToken: Actor = { kind: 'token', id: 't', label: 'bot', role: null, scope: 'ingest' };
const A = fingerprintOf(0xa1);
const B = fingerprintOf(0xb2);
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

beforeAll(async () => {
  await resetDatabase();
  // pg-boss lives in its own schema, which resetDatabase keeps: forget schedules other test files applied.
  await getPool().query(
    `DO $$ BEGIN IF to_regclass('pgboss.schedule') IS NOT NULL THEN DELETE FROM pgboss.schedule; END IF; END $$`,
  );
  await getPrisma().relayFeed.createMany({
    data: DEFAULT_FEEDS.map(({ name, format, url }) => ({ name, format, url })),
  });
  await importRelaySnapshot(
    onionooDetails('2026-03-10 12:00:00', [
      {
        nickname: 'Under_Score',
        fingerprint: A,
        or: ['192.0.2.1:9001', '[2001:db8::1]:9001'],
        exits: ['192.0.2.99'],
        flags: ['Exit', 'Guard'],
        country: 'nl',
      },
      { nickname: 'bravo', fingerprint: B, or: ['198.51.100.7:443'], country: 'de' },
    ]),
    { source: 'details.json', feedName: 'onionoo' },
  );
  await importRelaySnapshot(
    torRelayCsv([{ nickname: 'Under_Score', fingerprint: A, ip: '192.0.2.2', port: 9001, country: 'nl' }]),
    { source: 'old.csv', observedAt: hoursAgo(40) },
  );
});

describe('relay queries', () => {
  it('lists feed status with the last snapshot, schedule and a stale flag after 36 h', async () => {
    const overview = await listRelayFeeds(viewer);
    expect(overview.canUpload).toBe(false);
    expect(overview.stale).toBe(true);
    const onionoo = overview.feeds.find((feed) => feed.name === 'onionoo')!;
    expect(onionoo).toMatchObject({
      lastStatus: 'ok',
      snapshot: { relays: 2, addresses: 4 },
      queue: 'relays-fetch-onionoo',
      cron: '15 * * * *',
    });
    expect(new Date(onionoo.nextRunAt!).getUTCMinutes()).toBe(15);
    expect(overview.feeds.find((feed) => feed.name === 'import:torrelayips-csv')).toMatchObject({
      url: null,
      queue: null,
      nextRunAt: null,
    });
    await importRelaySnapshot(torRelayCsv([{ nickname: 'x', fingerprint: B, ip: '198.51.100.8', port: 1 }]), {
      source: 'new.csv',
      observedAt: hoursAgo(2),
    });
    expect(await listRelayFeeds(analyst)).toMatchObject({ stale: false, canUpload: true });
  });

  it('shows viewers that a feed failed, not what its URL answered', async () => {
    const leaked = 'looks like XML or markup, not a relay feed (an error response?): "<secret>internal</secret>"';
    await getPool().query(`UPDATE relay_feed SET last_status = 'failed', last_error = $1 WHERE name = 'torrelayips'`, [
      leaked,
    ]);
    const feedFor = async (actor: Actor) =>
      (await listRelayFeeds(actor)).feeds.find((feed) => feed.name === 'torrelayips')!;
    expect(await feedFor(viewer)).toMatchObject({ lastStatus: 'failed', lastError: 'the last fetch failed' });
    expect((await feedFor(analyst)).lastError).toBe(leaked);
  });

  it('finds relays by IP, fingerprint prefix, nickname (wildcards literal) and country', async () => {
    const names = async (q: string, country = '') =>
      (await searchRelays(viewer, { q, country })).rows.map((r) => r.nickname);
    expect(await names('::ffff:192.0.2.1')).toEqual(['Under_Score']);
    expect((await searchRelays(viewer, { q: A.slice(0, 39).toLowerCase() })).matchedBy).toBe('fingerprint');
    expect(await names(`$${A.slice(0, 39)}`)).toEqual(['Under_Score']);
    expect(await names('der_s')).toEqual(['Under_Score']);
    expect(await names('r_s')).toEqual(['Under_Score']);
    expect(await names('%')).toEqual([]);
    expect(await names('', 'DE')).toEqual(['x']);
    const underScore = (await searchRelays(viewer, { q: 'under' })).rows[0];
    expect(underScore.addresses.sort()).toEqual(['192.0.2.2:9001']);
  });

  it('returns a relay with its whole address history', async () => {
    const relay = await getRelay(viewer, A.toLowerCase());
    expect(relay).toMatchObject({ nickname: 'Under_Score', country: 'nl', flags: ['Exit', 'Guard'] });
    expect(relay!.history.map((h) => `${h.kind} ${h.ip}:${h.port}`).sort()).toEqual([
      'exit 192.0.2.99:0',
      'or 192.0.2.1:9001',
      'or 192.0.2.2:9001',
      'or 2001:db8::1:9001',
    ]);
    expect(await getRelay(viewer, 'F'.repeat(40))).toBeNull();
    expect(await getRelay(viewer, 'not-a-fingerprint')).toBeNull();
  });

  it('answers the lookup for viewers and refuses an ingest token', async () => {
    const lookup = await getRelayLookup(viewer, '192.0.2.99', new Date('2026-03-10T00:00:00Z'));
    expect(lookup.matches).toEqual([expect.objectContaining({ fingerprint: A, kind: 'exit', strict: true })]);
    for (const query of [
      () => getRelayLookup(ingestToken, '192.0.2.1', new Date()),
      () => listRelayFeeds(ingestToken),
      () => searchRelays(ingestToken, {}),
      () => getRelay(ingestToken, A),
    ]) {
      await expect(query()).rejects.toThrow('Forbidden: this needs the viewer role.');
    }
  });

  it('keeps snapshot entries for the compat mode', async () => {
    const { rows } = await getPool().query(
      `SELECT count(*)::int AS n FROM relay_snapshot_entry e JOIN relay_snapshot s ON s.id = e.snapshot_id WHERE s.lists_or`,
    );
    expect(rows[0].n).toBeGreaterThan(0);
  });
});
