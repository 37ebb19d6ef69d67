import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { bigTorRelayCsv, exitList, fingerprintOf, onionooDetails, torRelayCsv } from './__fixtures__/relayDocuments';
import { importRelaySnapshot } from './importRelaySnapshot';

useTestDatabase();
beforeEach(resetDatabase);

const A = fingerprintOf(0xa);
const B = fingerprintOf(0xb);
const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

async function intervals(where = 'true') {
  const { rows } = await getPool().query(
    `SELECT fingerprint, host(ip) AS ip, port, kind, valid_from, valid_to FROM relay_address WHERE ${where}
     ORDER BY fingerprint, ip, port, kind, valid_from`,
  );
  return rows.map((r) => ({ ...r, valid_from: r.valid_from.toISOString(), valid_to: r.valid_to.toISOString() }));
}

describe('importRelaySnapshot: OR intervals', () => {
  it('starts an interval at the last-change date and stores snapshot, entries and relays', async () => {
    const csv = torRelayCsv([
      {
        nickname: 'alpha',
        fingerprint: A,
        ip: '192.0.2.1',
        port: 9001,
        lastChanged: '3/1/2026 12:00:00 AM',
        country: 'nl',
      },
      {
        nickname: 'alpha',
        fingerprint: A,
        ip: '2001:DB8::0:1',
        port: 443,
        lastChanged: '3/1/2026 12:00:00 AM',
        country: 'nl',
      },
      { nickname: 'bravo', fingerprint: B, ip: '198.51.100.7', port: 443 },
      { nickname: 'broken', fingerprint: B, ip: '300.1.1.1', port: 443 },
    ]);
    const result = await importRelaySnapshot(csv, { source: 'relays.csv', observedAt: day('2026-03-10') });
    expect(result).toMatchObject({
      status: 'imported',
      format: 'torrelayips-csv',
      relays: 2,
      addresses: 3,
      rejected: 1,
      intervalsAdded: 3,
      intervalsExtended: 0,
    });
    expect(result.rejects[0]).toEqual({ line: 5, field: 'IPAddress', reason: '"300.1.1.1" is not an IP address' });
    expect(await intervals()).toEqual([
      {
        fingerprint: A,
        ip: '192.0.2.1',
        port: 9001,
        kind: 'or',
        valid_from: '2026-03-01T00:00:00.000Z',
        valid_to: '2026-03-10T12:00:00.000Z',
      },
      {
        fingerprint: A,
        ip: '2001:db8::1',
        port: 443,
        kind: 'or',
        valid_from: '2026-03-01T00:00:00.000Z',
        valid_to: '2026-03-10T12:00:00.000Z',
      },
      {
        fingerprint: B,
        ip: '198.51.100.7',
        port: 443,
        kind: 'or',
        valid_from: '2026-03-10T12:00:00.000Z',
        valid_to: '2026-03-10T12:00:00.000Z',
      },
    ]);
    const snapshot = await getPool().query('SELECT * FROM relay_snapshot');
    expect(snapshot.rows[0]).toMatchObject({
      relay_count: 2,
      address_count: 3,
      rejected_count: 1,
      lists_or: true,
      source: 'relays.csv',
    });
    const entries = await getPool().query(
      'SELECT fingerprint, nickname, host(ip) ip, port, kind, country FROM relay_snapshot_entry ORDER BY id',
    );
    expect(entries.rows).toHaveLength(3);
    expect(entries.rows[0]).toEqual({
      fingerprint: A,
      nickname: 'alpha',
      ip: '192.0.2.1',
      port: 9001,
      kind: 'or',
      country: 'nl',
    });
    const feed = await getPool().query('SELECT name, format, last_status, last_snapshot_id FROM relay_feed');
    expect(feed.rows).toEqual([
      {
        name: 'import:torrelayips-csv',
        format: 'torrelayips-csv',
        last_status: 'ok',
        last_snapshot_id: result.snapshotId,
      },
    ]);
    const relay = await getPool().query('SELECT nickname, country FROM relay WHERE fingerprint = $1', [A]);
    expect(relay.rows).toEqual([{ nickname: 'alpha', country: 'nl' }]);
  });

  it('changes nothing when the same snapshot is imported twice', async () => {
    const csv = torRelayCsv([{ nickname: 'alpha', fingerprint: A, ip: '192.0.2.1', port: 9001 }]);
    const first = await importRelaySnapshot(csv, { source: 'a.csv', observedAt: day('2026-03-10') });
    const before = await getPool().query('SELECT *, updated_at FROM relay_address');
    const second = await importRelaySnapshot(csv, { source: 'a.csv', observedAt: day('2026-03-10') });
    expect(second).toMatchObject({
      status: 'unchanged',
      snapshotId: first.snapshotId,
      intervalsAdded: 0,
      intervalsExtended: 0,
    });
    expect((await getPool().query('SELECT *, updated_at FROM relay_address')).rows).toEqual(before.rows);
    expect((await getPool().query('SELECT count(*)::int n FROM relay_snapshot')).rows[0].n).toBe(1);
    expect((await getPool().query('SELECT count(*)::int n FROM relay_snapshot_entry')).rows[0].n).toBe(1);
  });

  it('extends within 7 days and starts a new interval after a longer gap, never reaching back over the old one', async () => {
    const listing = (lastChanged: string) =>
      torRelayCsv([{ nickname: 'alpha', fingerprint: A, ip: '192.0.2.1', port: 9001, lastChanged }]);
    await importRelaySnapshot(listing('3/9/2026 12:00:00 PM'), { source: 'a', observedAt: day('2026-03-10') });
    const extended = await importRelaySnapshot(listing('3/9/2026 12:00:00 PM'), {
      source: 'a',
      observedAt: day('2026-03-16'),
    });
    expect(extended).toMatchObject({ intervalsAdded: 0, intervalsExtended: 1 });
    // 20 days later; the feed's last-change date is older than the previous interval's end.
    const fresh = await importRelaySnapshot(listing('3/1/2026 12:00:00 PM'), {
      source: 'a',
      observedAt: day('2026-04-05'),
    });
    expect(fresh).toMatchObject({ intervalsAdded: 1, intervalsExtended: 0 });
    expect((await intervals()).map((i) => [i.valid_from, i.valid_to])).toEqual([
      ['2026-03-09T12:00:00.000Z', '2026-03-16T12:00:00.000Z'],
      ['2026-03-16T12:00:00.000Z', '2026-04-05T12:00:00.000Z'],
    ]);
  });

  it('merges an earlier last-change date into the interval it belongs to', async () => {
    const csv = (lastChanged?: string) =>
      torRelayCsv([{ nickname: 'alpha', fingerprint: A, ip: '192.0.2.1', port: 9001, lastChanged }]);
    await importRelaySnapshot(csv(), { source: 'a', observedAt: day('2026-03-10') });
    await importRelaySnapshot(csv('3/8/2026 12:00:00 PM'), { source: 'b', observedAt: day('2026-03-11') });
    expect((await intervals()).map((i) => [i.valid_from, i.valid_to])).toEqual([
      ['2026-03-08T12:00:00.000Z', '2026-03-11T12:00:00.000Z'],
    ]);
  });
});

describe('importRelaySnapshot: exit intervals', () => {
  it('gives Onionoo exit addresses [T − 24 h, T], not stretched back by the last-change date', async () => {
    const doc = (published: string) =>
      onionooDetails(published, [
        {
          nickname: 'exity',
          fingerprint: A,
          or: ['192.0.2.1:9001'],
          exits: ['192.0.2.99'],
          flags: ['Exit'],
          lastChanged: '2026-01-01 00:00:00',
        },
      ]);
    const first = await importRelaySnapshot(doc('2026-03-10 12:00:00'), { source: 'details.json' });
    expect(first).toMatchObject({ status: 'imported', format: 'onionoo', intervalsAdded: 2 });
    await importRelaySnapshot(doc('2026-03-12 12:00:00'), { source: 'details.json' });
    expect((await intervals()).map((i) => [i.kind, i.valid_from, i.valid_to])).toEqual([
      ['or', '2026-01-01T00:00:00.000Z', '2026-03-12T12:00:00.000Z'],
      ['exit', '2026-03-09T12:00:00.000Z', '2026-03-12T12:00:00.000Z'],
    ]);
    const relay = await getPool().query('SELECT flags FROM relay');
    expect(relay.rows[0].flags).toEqual(['Exit']);
  });

  it('stores flags sorted and without duplicates (a hit with one relay carries its flags as stored)', async () => {
    const doc = JSON.parse(
      onionooDetails('2026-03-10 12:00:00', [
        { nickname: 'flaggy', fingerprint: A, or: ['192.0.2.1:9001'] },
      ]).toString(),
    );
    doc.relays[0].flags = ['Valid', 'Running', 'Fast', 'Running', 'Guard'];
    await importRelaySnapshot(Buffer.from(JSON.stringify(doc)), { source: 'flags.json' });
    const relay = await getPool().query('SELECT flags FROM relay');
    expect(relay.rows[0].flags).toEqual(['Fast', 'Guard', 'Running', 'Valid']);
  });

  it('stores text with quotes, backslashes and tabs intact (COPY escaping)', async () => {
    const doc = JSON.parse(
      onionooDetails('2026-03-10 12:00:00', [
        { nickname: 'q"uote\\x', fingerprint: A, or: ['192.0.2.1:9001'] },
      ]).toString(),
    );
    doc.relays[0].flags = ['Ex"it', 'back\\slash', '{brace}'];
    doc.relays[0].verified_host_names = ['tab\there.example', 'new\nline.example'];
    await importRelaySnapshot(Buffer.from(JSON.stringify(doc)), { source: 'odd.json' });
    const relay = await getPool().query('SELECT nickname, flags, hostnames FROM relay');
    expect(relay.rows[0]).toEqual({
      nickname: 'q"uote\\x',
      flags: ['Ex"it', 'back\\slash', '{brace}'],
      hostnames: ['tab\there.example', 'new\nline.example'],
    });
    const entry = await getPool().query('SELECT nickname, hostname FROM relay_snapshot_entry');
    expect(entry.rows[0]).toEqual({ nickname: 'q"uote\\x', hostname: 'tab\there.example new\nline.example' });
  });

  it('uses each ExitAddress scan time as the observation', async () => {
    const list = exitList([
      { fingerprint: B, published: '2026-03-10 10:00:00', exits: [['203.0.113.5', '2026-03-10 08:00:00']] },
    ]);
    await importRelaySnapshot(list, { source: 'exit-addresses' });
    expect(await intervals()).toEqual([
      {
        fingerprint: B,
        ip: '203.0.113.5',
        port: 0,
        kind: 'exit',
        valid_from: '2026-03-09T08:00:00.000Z',
        valid_to: '2026-03-10T08:00:00.000Z',
      },
    ]);
  });
});

describe('importRelaySnapshot: keep-last-good', () => {
  const many = (count: number) =>
    torRelayCsv(
      Array.from({ length: count }, (_, n) => ({
        nickname: `r${n}`,
        fingerprint: fingerprintOf(n + 1),
        ip: `192.0.2.${n + 1}`,
        port: 9001,
      })),
    );

  it("refuses a list with under half the relays of the feed's previous snapshot, unless forced", async () => {
    await importRelaySnapshot(many(10), { source: 'good.csv', feedName: 'torrelayips', observedAt: day('2026-03-10') });
    const refused = await importRelaySnapshot(many(4), {
      source: 'small.csv',
      feedName: 'torrelayips',
      observedAt: day('2026-03-11'),
    });
    expect(refused.status).toBe('refused');
    expect(refused.reason).toMatch(
      /^small\.csv: implausible: 4 relays, under half of the 10 in feed torrelayips's previous snapshot/,
    );
    expect((await getPool().query('SELECT count(*)::int n FROM relay_snapshot')).rows[0].n).toBe(1);
    expect((await getPool().query(`SELECT max(valid_to) t FROM relay_address`)).rows[0].t.toISOString()).toBe(
      '2026-03-10T12:00:00.000Z',
    );
    const feed = await getPool().query('SELECT last_status, last_error, last_snapshot_id FROM relay_feed');
    expect(feed.rows[0]).toMatchObject({ last_status: 'refused', last_snapshot_id: 1 });
    expect(feed.rows[0].last_error).toContain('implausible');
    const forced = await importRelaySnapshot(many(4), {
      source: 'small.csv',
      feedName: 'torrelayips',
      observedAt: day('2026-03-11'),
      force: true,
    });
    expect(forced).toMatchObject({ status: 'imported', intervalsExtended: 4 });
  });

  it('marks the feed failed on an unusable document and keeps the previous data', async () => {
    await importRelaySnapshot(many(3), { source: 'good.csv', feedName: 'torrelayips', format: 'torrelayips-csv' });
    for (const [body, message] of [
      ['', /^bad\.csv: the document is empty$/],
      ['<!DOCTYPE html><html><body>Sign in</body></html>', /looks like HTML/],
      ['Name,Address\nx,1.2.3.4\n', /header: expected TorRelayIPs\.csv columns/],
      [
        `${'Nickname,Fingerprint,IPAddress,Port'}\nx,${A},1.2.3.999,9001\n`,
        /no usable relay address — all 1 records were rejected \(first: line 2: IPAddress/,
      ],
    ] as const) {
      const result = await importRelaySnapshot(Buffer.from(body), {
        source: 'bad.csv',
        feedName: 'torrelayips',
        format: 'torrelayips-csv',
      });
      expect(result.status).toBe('refused');
      expect(result.reason).toMatch(message);
      const feed = await getPool().query('SELECT last_status, last_error FROM relay_feed');
      expect(feed.rows[0]).toMatchObject({ last_status: 'failed', last_error: result.reason });
    }
    expect((await getPool().query('SELECT count(*)::int n FROM relay_address')).rows[0].n).toBe(3);
  });

  it('keeps the listed rows of only the latest two snapshots per feed', async () => {
    for (const d of ['2026-03-01', '2026-03-02', '2026-03-03']) {
      await importRelaySnapshot(many(2), { source: 'x.csv', observedAt: day(d) });
    }
    const { rows } = await getPool().query('SELECT DISTINCT snapshot_id FROM relay_snapshot_entry ORDER BY 1');
    expect(rows.map((r) => r.snapshot_id)).toEqual([2, 3]);
  });
});

// Its speed is measured against a bare INSERT of the same rows in `npm run bench:relay-import`.
describe('importRelaySnapshot: a large list', () => {
  it(
    'imports a real-shaped 10,000-row TorRelayIPs.csv, then extends every interval',
    { timeout: 120_000 },
    async () => {
      const csv = bigTorRelayCsv(10_000);
      await resetDatabase();
      const inserted = await importRelaySnapshot(csv, { source: 'big.csv', observedAt: day('2026-03-10') });
      expect(inserted).toMatchObject({ status: 'imported', addresses: 10_000, intervalsAdded: 10_000 });
      const extended = await importRelaySnapshot(csv, { source: 'big.csv', observedAt: day('2026-03-11') });
      expect(extended).toMatchObject({ intervalsAdded: 0, intervalsExtended: 10_000 });
    },
  );
});

describe('importRelaySnapshot: retro match', () => {
  it('queues a retro match after adding or extending intervals, and not after an unchanged import', async () => {
    const { PgBoss } = await import('pg-boss');
    const boss = new PgBoss({
      connectionString: process.env.DATABASE_URL!,
      schema: 'pgboss',
      supervise: false,
      schedule: false,
    });
    boss.on('error', () => {});
    await boss.start();
    await boss.createQueue('match', { policy: 'standard' });
    await boss.stop({ graceful: false });
    await getPool().query(`DELETE FROM pgboss.job WHERE name = 'match'`); // jobs other test files queued
    const jobs = async () =>
      (await getPool().query(`SELECT data FROM pgboss.job WHERE name = 'match'`)).rows.map((r) => r.data);
    const csv = torRelayCsv([{ nickname: 'alpha', fingerprint: A, ip: '192.0.2.1', port: 9001 }]);
    const imported = await importRelaySnapshot(csv, { source: 'a.csv', observedAt: day('2026-03-10') });
    expect(imported.retroMatchQueued).toBe(true);
    expect(await jobs()).toEqual([{ mode: 'retro', trigger: 'relays' }]);
    await importRelaySnapshot(csv, { source: 'a.csv', observedAt: day('2026-03-10') });
    expect(await jobs()).toHaveLength(1);
  });
});
