import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { ensureDefaultFeeds } from '@/lib/relays/ensureDefaultFeeds';
import { fetchFeed } from '@/lib/relays/fetchFeed';
import { listedFiles } from '@/lib/relays/archive/fetchCollectorRecent';
import { importHistoryPath } from '@/lib/relays/archive/importRelayHistory';
import { relayHistoryCoverage } from '@/lib/relays/archive/relayHistoryCoverage';
import { lookupRelayAddress } from '@/lib/relays/lookupRelayAddress';
import { startCollectorServer, type CollectorServer } from './collectorServer';
import { resetDatabase, useTestDatabase } from './integration';

// CollecTor recent/ as the hourly feed (its directory listing is an HTML index page), and the hour-exact lookup.

const FIXTURE = path.join(import.meta.dirname, 'fixtures/relay-history');
const work = mkdtempSync(path.join(os.tmpdir(), 'torwatch-collector-recent-'));
let server: CollectorServer;

useTestDatabase();

beforeAll(async () => {
  cpSync(path.join(FIXTURE, 'collector'), path.join(work, 'collector'), { recursive: true });
  server = await startCollectorServer(path.join(work, 'collector'));
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

const count = async (sql: string) => Number((await getPool().query(sql)).rows[0].n);

describe('CollecTor recent/ and the hour-exact lookup', { timeout: 120_000 }, () => {
  it('reads file names from an HTML index page', async () => {
    const html = await (await fetch(`${server.url}/recent/relay-descriptors/consensuses/`)).text();
    const names = listedFiles(html, /href="(\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-consensus)"/g);
    expect(names).toHaveLength(24);
    expect(names[0]).toBe('2026-06-30-00-00-00-consensus');
  });

  it('the collector-recent feed (URL set like a mirror) imports the new consensus hours only, idempotently', async () => {
    await resetDatabase();
    await ensureDefaultFeeds(() => {});
    await getPool().query(`UPDATE relay_feed SET url = $1 WHERE name = 'collector-recent'`, [server.url]);
    const first = await fetchFeed('collector-recent');
    expect(first.status, first.message).toBe('imported');
    expect(first.message).toMatch(/consensuses=24 /);
    expect(await count('SELECT count(*) AS n FROM relay_consensus')).toBe(24);
    const intervals = await count(`SELECT count(*) AS n FROM relay_address WHERE evidence = 'consensus'`);
    expect(intervals).toBeGreaterThan(0);
    const requestsBefore = server.requests.length;
    const second = await fetchFeed('collector-recent');
    expect(second.status, second.message).toBe('imported');
    // Only the two listings were fetched again: every consensus hour is stored already.
    expect(server.requests.slice(requestsBefore).every((request) => request.endsWith('/'))).toBe(true);
    expect(await count(`SELECT count(*) AS n FROM relay_address WHERE evidence = 'consensus'`)).toBe(intervals);
  });

  it('lookup answers with hour precision: listed in N of M consensuses on the day, hour by hour', async () => {
    await resetDatabase();
    const archive = path.join(FIXTURE, 'collector/archive/relay-descriptors/consensuses/consensuses-2026-06.tar.xz');
    const [summary] = await importHistoryPath(archive, { queueMatch: false });
    expect(summary.status).toBe('imported');
    const { rows } = await getPool().query<{ ip: string; valid_from: Date; valid_to: Date }>(
      `SELECT host(ip) AS ip, valid_from, valid_to FROM relay_address
       WHERE evidence = 'consensus' AND (valid_to AT TIME ZONE 'UTC')::time BETWEEN '03:00' AND '21:00'
         AND valid_to < '2026-06-29T00:00Z' AND valid_from < valid_to - interval '3 hours'
       ORDER BY valid_from LIMIT 1`,
    );
    expect(rows).toHaveLength(1); // the vector has runs that end inside a day
    const { ip, valid_from: from, valid_to: to } = rows[0];
    const day = to.toISOString().slice(0, 10);
    const hoursOf = async (a: Date, b: Date) =>
      count(
        `SELECT count(*) AS n FROM relay_consensus WHERE valid_after >= '${a.toISOString()}' AND valid_after < '${b.toISOString()}'`,
      );
    const listed = await hoursOf(new Date(Math.max(from.getTime(), Date.parse(`${day}T00:00Z`))), to);
    const consensuses = await hoursOf(new Date(`${day}T00:00Z`), new Date(`${day}T24:00Z`));
    const inside = await lookupRelayAddress(ip, new Date(to.getTime() - 30 * 60_000), 24, 1);
    expect(inside.wasRelay).toBe(true);
    expect(inside.consensus?.day).toBe(day);
    expect(inside.consensus?.consensuses).toBe(consensuses);
    expect(inside.consensus?.relays[0].listed).toBe(listed);
    const lastListed = new Date(to.getTime() - 3_600_000).toISOString();
    expect(inside.consensus!.around.find((h) => h.validAfter === lastListed)?.listed).toBe(true);
    expect(inside.consensus!.around.find((h) => h.validAfter === to.toISOString())?.listed).not.toBe(true);
    // 1 h grace after the run's end, not 24 h
    expect((await lookupRelayAddress(ip, new Date(to.getTime() + 50 * 60_000), 24, 1)).wasRelay).toBe(true);
    expect((await lookupRelayAddress(ip, new Date(to.getTime() + 3 * 3_600_000), 24, 1)).wasRelay).toBe(false);
  });

  it('coverage names the months the telemetry spans without complete history', async () => {
    await resetDatabase();
    await getPool().query(
      `INSERT INTO ingest_batch (source, file_name, status) VALUES ('defender-network-events', 't.csv', 'committed')`,
    );
    await getPool().query(
      `INSERT INTO network_event_wide (ts, device_id, remote_ip, source, batch_id, report_id, direction)
       SELECT t, 'd1', '192.0.2.1', 'defender-network-events', 1, 'r' || n, 'outbound'
       FROM (VALUES ('2026-04-20T00:00Z'::timestamptz, 1), ('2026-06-03T00:00Z', 2)) v(t, n)`,
    );
    await getPool().query(
      `INSERT INTO relay_archive_month (kind, month, source, documents) VALUES ('consensuses', '2026-05', 'x', 744)`,
    );
    const coverage = await relayHistoryCoverage(new Date('2026-11-30T00:00Z'));
    expect(coverage.telemetryFrom).toBe('2026-04-20T00:00:00.000Z');
    expect(coverage.historyFrom).toBeNull();
    expect(coverage.missingMonths).toEqual(['2026-04', '2026-06']);
  });
});
