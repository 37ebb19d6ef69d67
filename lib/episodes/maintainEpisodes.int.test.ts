import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { DemoRandom } from '@/lib/demo/demoRandom';
import { addBatch, addEvents, addInterval, addRelay, type FixtureEvent } from '@/lib/match/matchFixture';
import { runMatchPipeline as runMatch } from '@/lib/pipeline/runMatchPipeline';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { EPISODES_FROM_SCRATCH_SQL, EPISODES_MAINTAINED_SQL } from './episodesFromScratchSql';
import { rebuildEpisodes } from './rebuildEpisodes';

useTestDatabase();

const A = 'A'.repeat(40);
const B = 'B'.repeat(40);
const RELAY_IP = '198.51.100.7';
const OTHER_IP = '198.51.100.8';
const HOUR = 3600_000;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const at = (hours: number) => new Date(T0 + hours * HOUR).toISOString();

interface EpisodeRow {
  id: string;
  device_id: string;
  process_key: string;
  first_seen: Date;
  last_seen: Date;
  hit_count: number;
  status: string;
  hit_ids: string[];
}

async function episodes(): Promise<EpisodeRow[]> {
  return (await getPool().query<EpisodeRow>(EPISODES_MAINTAINED_SQL)).rows;
}

async function ingest(events: FixtureEvent[]): Promise<void> {
  await addEvents(await addBatch(), events);
  await runMatch({ mode: 'incremental', trigger: 'test' });
}

let seq = 0;
const ev = (hours: number, extra: Partial<FixtureEvent> = {}): FixtureEvent => ({
  ts: at(hours),
  deviceId: 'wks-1',
  remoteIp: RELAY_IP,
  remotePort: 9001,
  reportId: `e${seq++}`,
  ...extra,
});

/** The maintained episodes equal a recomputation from all hits (membership and every figure). */
async function expectEqualToRecomputation(): Promise<void> {
  const strip = ({ id: _id, ...rest }: EpisodeRow) => ({ ...rest, hit_ids: rest.hit_ids.map(String) });
  const scratch = (await getPool().query(EPISODES_FROM_SCRATCH_SQL, ['24 hours'])).rows.map((r) => ({
    ...r,
    hit_ids: (r.hit_ids as string[]).map(String),
  }));
  expect((await episodes()).map(strip)).toEqual(scratch);
  // Every valid hit is placed, and no withdrawn hit is.
  const { rows } = await getPool().query(
    `SELECT count(*)::int AS n FROM hit WHERE (episode_id IS NULL) = evidence_valid`,
  );
  expect(rows[0].n).toBe(0);
}

describe('episode maintenance', () => {
  beforeEach(async () => {
    await resetDatabase();
    await addRelay(A, { nickname: 'alpha', country: 'de', flags: ['Guard'] });
    await addRelay(B, { nickname: 'bravo', country: 'nl', flags: ['Exit'] });
    await addInterval(A, RELAY_IP, 9001, 'or', '2026-10-01T00:00:00Z', '2026-12-31T00:00:00Z');
    await addInterval(B, OTHER_IP, 443, 'or', '2026-10-01T00:00:00Z', '2026-12-31T00:00:00Z');
  });
  afterEach(() => {
    delete process.env.TORWATCH_EPISODE_GAP_HOURS;
  });

  it('keeps hits exactly 24 h apart in one episode and starts a new one after more than 24 h', async () => {
    await ingest([ev(0), ev(24), ev(48.001), ev(100)]);
    const list = await episodes();
    expect(list.map((e) => [e.first_seen.toISOString(), e.last_seen.toISOString(), e.hit_count])).toEqual([
      [at(0), at(24), 2],
      [at(48.001), at(48.001), 1],
      [at(100), at(100), 1],
    ]);
    await expectEqualToRecomputation();
  });

  it('takes the gap from TORWATCH_EPISODE_GAP_HOURS', async () => {
    process.env.TORWATCH_EPISODE_GAP_HOURS = '2';
    await ingest([ev(0), ev(2), ev(4.5)]);
    expect((await episodes()).map((e) => e.hit_count)).toEqual([2, 1]);
  });

  it('compares process names case-insensitively and groups hits without a process apart', async () => {
    await ingest([
      ev(0, { process: 'Tor.exe' }),
      ev(1, { process: 'TOR.EXE' }),
      ev(2, { process: 'tor.exe' }),
      ev(3, { process: null }),
      ev(4, { process: null }),
      ev(5, { process: 'firefox.exe' }),
    ]);
    const list = await episodes();
    expect(list.map((e) => [e.process_key, e.hit_count])).toEqual([
      ['', 2],
      ['firefox.exe', 1],
      ['tor.exe', 3],
    ]);
    const { rows } = await getPool().query(`SELECT process_file_name FROM episode WHERE process_key = ''`);
    expect(rows[0].process_file_name).toBeNull();
  });

  it('merges two episodes when a late hit falls into the gap, keeping the older id', async () => {
    await ingest([ev(0), ev(40, { remoteIp: OTHER_IP, remotePort: 443 })]);
    const before = await episodes();
    expect(before).toHaveLength(2);
    await ingest([ev(20)]);
    const after = await episodes();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before[0].id, hit_count: 3 });
    const { rows } = await getPool().query(`SELECT relay_fingerprints, country_codes, ports FROM episode`);
    expect(rows[0]).toEqual({ relay_fingerprints: [A, B], country_codes: ['de', 'nl'], ports: [443, 9001] });
    await expectEqualToRecomputation();
  });

  it('combines the figures of merged episodes without a recount: sets, counts, status, device name, decision', async () => {
    // Three episodes of one device and process, with different relays, ports, confidence, statuses and device names.
    await ingest([
      ev(0, { deviceName: 'old-name.corp' }),
      ev(40, { remoteIp: OTHER_IP, remotePort: 443, deviceName: null }),
      ev(80, { deviceName: 'new-name.corp' }),
    ]);
    const before = await episodes();
    expect(before).toHaveLength(3);
    await getPool().query(`UPDATE hit SET status = 'benign' WHERE ts = $1`, [at(0)]);
    await getPool().query(`UPDATE hit SET status = 'investigating' WHERE ts = $1`, [at(40)]);
    await getPool().query(`UPDATE hit SET status = 'true_positive' WHERE ts = $1`, [at(80)]);
    // A triage decision on the oldest episode goes with its id, which the merge keeps.
    await getPool().query(`UPDATE episode SET decided_status = 'benign' WHERE id = $1`, [before[0].id]);
    // Two late hits bridge all three.
    await ingest([ev(20, { deviceName: null }), ev(60, { deviceName: null })]);
    const [merged, ...rest] = await episodes();
    expect(rest).toHaveLength(0);
    expect(merged).toMatchObject({ id: before[0].id, hit_count: 5 });
    const { rows } = await getPool().query(
      `SELECT device_name, relay_fingerprints, country_codes, ports, max_confidence, is_exit, open_hits, status,
              decided_status FROM episode`,
    );
    // The late hits took the kept episode's decision (benign); the investigating hit keeps it open.
    expect(rows[0]).toEqual({
      device_name: 'new-name.corp',
      relay_fingerprints: [A, B],
      country_codes: ['de', 'nl'],
      ports: [443, 9001],
      max_confidence: 'high',
      is_exit: true, // bravo has the Exit flag
      open_hits: 1,
      status: 'investigating',
      decided_status: 'benign',
    });
    await expectEqualToRecomputation();
  });

  it('recomputes a merged episode whose parts spell the process differently', async () => {
    await ingest([ev(0, { process: 'Tor.exe' }), ev(1, { process: 'Tor.exe' }), ev(40, { process: 'tor.exe' })]);
    await ingest([ev(41, { process: 'tor.exe' }), ev(42, { process: 'tor.exe' })]);
    expect((await episodes()).map((e) => e.hit_count)).toEqual([2, 3]);
    await ingest([ev(20, { process: 'TOR.EXE' })]);
    const { rows } = await getPool().query(`SELECT process_file_name, hit_count FROM episode`);
    expect(rows).toEqual([{ process_file_name: 'tor.exe', hit_count: 6 }]);
    await expectEqualToRecomputation();
  });

  it('splits an episode when a hit in the middle is withdrawn, the earlier part keeping the id', async () => {
    await ingest([ev(0), ev(20, { remoteIp: OTHER_IP, remotePort: 443 }), ev(40)]);
    const [whole] = await episodes();
    expect(whole.hit_count).toBe(3);
    // The relay data no longer supports the middle hit: a full match withdraws it.
    await getPool().query(`DELETE FROM relay_address WHERE ip = $1`, [OTHER_IP]);
    await runMatch({ mode: 'full', trigger: 'test' });
    const parts = await episodes();
    expect(parts.map((e) => [e.first_seen.toISOString(), e.hit_count])).toEqual([
      [at(0), 1],
      [at(40), 1],
    ]);
    expect(parts[0].id).toBe(whole.id);
    expect(Number(parts[1].id)).toBeGreaterThan(Number(whole.id));
    // Each part's figures are its own hits' (the withdrawn hit's relay, country and port are gone).
    const { rows } = await getPool().query(
      `SELECT relay_fingerprints, country_codes, ports, last_seen FROM episode ORDER BY first_seen`,
    );
    expect(rows.map((r) => [r.relay_fingerprints, r.country_codes, r.ports, r.last_seen.toISOString()])).toEqual([
      [[A], ['de'], [9001], at(0)],
      [[A], ['de'], [9001], at(40)],
    ]);
    await expectEqualToRecomputation();
    // The relay data returns: the hit is restored and the episode whole again, under the old id.
    await addInterval(B, OTHER_IP, 443, 'or', '2026-10-01T00:00:00Z', '2026-12-31T00:00:00Z');
    await runMatch({ mode: 'full', trigger: 'test' });
    expect((await episodes()).map((e) => [e.id, e.hit_count])).toEqual([[whole.id, 3]]);
  });

  it('ends an episode whose only hit is withdrawn', async () => {
    await ingest([ev(0, { remoteIp: OTHER_IP, remotePort: 443 }), ev(100)]);
    await getPool().query(`DELETE FROM relay_address WHERE ip = $1`, [OTHER_IP]);
    await runMatch({ mode: 'full', trigger: 'test' });
    expect((await episodes()).map((e) => e.first_seen.toISOString())).toEqual([at(100)]);
    await expectEqualToRecomputation();
  });

  it('counts suppressed hits as members but not as open, and follows triage of its hits', async () => {
    await ingest([ev(0), ev(1)]);
    await getPool().query(`UPDATE hit SET status = 'suppressed' WHERE ts = $1`, [at(0)]);
    let [episode] = await getPool()
      .query(`SELECT hit_count, open_hits, status FROM episode`)
      .then((r) => r.rows);
    expect(episode).toEqual({ hit_count: 2, open_hits: 1, status: 'new' });
    await getPool().query(`UPDATE hit SET status = 'benign' WHERE ts = $1`, [at(1)]);
    [episode] = await getPool()
      .query(`SELECT hit_count, open_hits, status FROM episode`)
      .then((r) => r.rows);
    expect(episode).toEqual({ hit_count: 2, open_hits: 0, status: 'benign' });
  });

  it('re-examines an episode when an ingest batch and its hits are deleted', async () => {
    await ingest([ev(0), ev(40)]);
    const batch = await addBatch();
    await addEvents(batch, [ev(20)]);
    await runMatch({ mode: 'incremental', trigger: 'test' });
    expect(await episodes()).toHaveLength(1);
    await getPool().query(`DELETE FROM hit WHERE event_id IN (SELECT id FROM network_event WHERE batch_id = $1)`, [
      batch,
    ]);
    await runMatch({ mode: 'incremental', trigger: 'test' });
    expect((await episodes()).map((e) => e.hit_count)).toEqual([1, 1]);
    await expectEqualToRecomputation();
  });

  it('rebuilds every episode set-based after the gap changes, keeping ids and decisions', async () => {
    await ingest([ev(0), ev(10), ev(20), ev(100), ev(101, { process: 'firefox.exe' })]);
    const before = await episodes();
    expect(before.map((e) => e.hit_count)).toEqual([1, 3, 1]);
    const torEpisode = before.find((e) => e.process_key === 'tor.exe' && e.hit_count === 3)!;
    await getPool().query(`UPDATE episode SET decided_status = 'benign' WHERE id = $1`, [torEpisode.id]);
    // A hit deleted meanwhile: the rebuild covers it too.
    await getPool().query(`DELETE FROM hit WHERE ts = $1`, [at(100)]);
    process.env.TORWATCH_EPISODE_GAP_HOURS = '5';
    const result = await rebuildEpisodes();
    expect(result.differences).toBe(0);
    const split = await episodes();
    expect(split.map((e) => [e.process_key, e.first_seen.toISOString(), e.hit_count])).toEqual([
      ['firefox.exe', at(101), 1],
      ['tor.exe', at(0), 1],
      ['tor.exe', at(10), 1],
      ['tor.exe', at(20), 1],
    ]);
    // The earliest part keeps the id; the parts split off take the decision of the episode they came from.
    expect(split[1].id).toBe(torEpisode.id);
    const decided = await getPool().query(`SELECT count(*)::int AS n FROM episode WHERE decided_status = 'benign'`);
    expect(decided.rows[0].n).toBe(3);
    const { rows } = await getPool().query(`SELECT count(*)::int AS n FROM episode_pending`);
    expect(rows[0].n).toBe(0);
    // Back to 24 h: one episode again, under the oldest id.
    delete process.env.TORWATCH_EPISODE_GAP_HOURS;
    expect((await rebuildEpisodes()).differences).toBe(0);
    expect((await episodes()).map((e) => [e.id, e.hit_count])).toEqual([
      [before[0].id, 1],
      [torEpisode.id, 3],
    ]);
    await expectEqualToRecomputation();
  });

  it('equals a from-scratch recomputation after random ingest orders, withdrawals and restorations', async () => {
    for (const seed of [7, 42, 1234]) {
      await resetDatabase();
      const random = new DemoRandom(seed);
      const ips = ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4'];
      for (const [i, ip] of ips.entries()) {
        await addRelay(`${i}`.repeat(40), { nickname: `r${i}`, country: ['de', 'nl', 'se', 'fr'][i] });
        await addInterval(
          `${i}`.repeat(40),
          ip,
          9001,
          i === 3 ? 'exit' : 'or',
          '2026-10-01T00:00:00Z',
          '2027-01-31T00:00:00Z',
        );
      }
      const processes = ['tor.exe', 'Tor.exe', 'TOR.EXE', 'firefox.exe', null];
      const events: FixtureEvent[] = [];
      for (let i = 0; i < 240; i++) {
        events.push({
          ts: at(random.int(24 * 30) + random.int(3600) / 3600),
          deviceId: `wks-${random.int(4)}`,
          remoteIp: random.pick(ips),
          remotePort: random.pick([9001, 443, 80]),
          process: random.pick(processes),
          // Renamed devices and unnamed events: the episode's device name is its latest hit's.
          deviceName: random.pick([undefined, undefined, null, 'renamed.corp']),
          reportId: `s${seed}-${i}`,
        });
      }
      // Shuffle, then ingest in batches of random size with a match after each.
      for (let i = events.length - 1; i > 0; i--) {
        const j = random.int(i + 1);
        [events[i], events[j]] = [events[j], events[i]];
      }
      for (let start = 0; start < events.length;) {
        const size = 1 + random.int(60);
        await ingest(events.slice(start, start + size));
        start += size;
        if (random.int(3) === 0) {
          // Withdraw (or restore) one relay's evidence: a full match retires (or revives) its hits.
          const ip = random.pick(ips);
          const { rowCount } = await getPool().query(`DELETE FROM relay_address WHERE ip = $1`, [ip]);
          if (!rowCount)
            await addInterval('0'.repeat(40), ip, 9001, 'or', '2026-10-01T00:00:00Z', '2027-01-31T00:00:00Z');
          await runMatch({ mode: 'full', trigger: 'test' });
        }
        await expectEqualToRecomputation();
      }
      expect((await episodes()).length).toBeGreaterThan(8);
    }
  });
});
