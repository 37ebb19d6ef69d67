import type pg from 'pg';
import { copyRows, type CopyValue } from '../copyRows';
import type { RelayInfo } from '../types';
import { upsertRelays } from '../upsertRelays';
import { HOUR_MS, type ConsensusHistory } from './consensusHistory';
import { BRIDGE_HOURS, planConsensusIntervals, type StoredInterval } from './planConsensusIntervals';

// Writes a batch of consensus listings into relay_address (evidence 'consensus'), inside the caller's transaction:
// the batch's hours join relay_consensus, then every address key the batch touches — or whose stored intervals the
// new hours fall into — gets its intervals re-planned around the batch (planConsensusIntervals). Re-importing the
// same hours plans the same intervals and changes nothing; months may come in any order.

export interface ConsensusStoreResult {
  added: number;
  extended: number;
  removed: number;
  addresses: number;
  relays: number;
}

const iso = (hour: number) => new Date(hour * HOUR_MS).toISOString();

export async function storeConsensusHistory(
  client: pg.PoolClient,
  history: ConsensusHistory,
  snapshotId: number,
): Promise<ConsensusStoreResult> {
  const result: ConsensusStoreResult = { added: 0, extended: 0, removed: 0, addresses: 0, relays: 0 };
  if (history.hours.size === 0) return result;
  const batchHours = new Set(history.hours.keys());
  await client.query(
    'CREATE TEMP TABLE consensus_staged (valid_after timestamptz, flavour text, relays int) ON COMMIT DROP',
  );
  await copyRows(
    client,
    'consensus_staged',
    ['valid_after', 'flavour', 'relays'],
    [...history.hours].map(([hour, info]) => [iso(hour), info.flavour, info.relays]),
  );
  await client.query(
    `INSERT INTO relay_consensus (valid_after, flavour, relays) SELECT valid_after, flavour, relays FROM consensus_staged
     ON CONFLICT (valid_after) DO NOTHING`,
  );
  await client.query('DROP TABLE consensus_staged');

  const sorted = [...batchHours].sort((a, b) => a - b);
  const lo = sorted[0] - BRIDGE_HOURS;
  const hi = sorted[sorted.length - 1] + BRIDGE_HOURS;
  const { rows: hourRows } = await client.query<{ h: string }>(
    `SELECT extract(epoch FROM valid_after)::bigint / 3600 AS h FROM (
       (SELECT valid_after FROM relay_consensus WHERE valid_after < $1 ORDER BY valid_after DESC LIMIT 1)
       UNION ALL (SELECT valid_after FROM relay_consensus WHERE valid_after BETWEEN $1 AND $2)
       UNION ALL (SELECT valid_after FROM relay_consensus WHERE valid_after > $2 ORDER BY valid_after LIMIT 1)
     ) c ORDER BY valid_after`,
    [iso(lo), iso(hi)],
  );
  const hours = hourRows.map((row) => Number(row.h));
  const spanFrom = hours[0];
  const spanTo = hours[hours.length - 1];

  const { rows: storedRows } = await client.query<{
    id: string;
    fingerprint: string;
    ip: string;
    port: number;
    from_hour: string;
    to_hour: string;
    flags: string[];
    nickname: string | null;
  }>(
    `SELECT id, fingerprint, host(ip) AS ip, port, round(extract(epoch FROM valid_from) / 3600) AS from_hour,
            round(extract(epoch FROM valid_to) / 3600) AS to_hour, flags, nickname
     FROM relay_address
     WHERE evidence = 'consensus' AND valid_to > $1 AND valid_from <= $2
     ORDER BY valid_from`,
    [iso(spanFrom), iso(spanTo)],
  );
  const storedByKey = new Map<number, StoredInterval[]>();
  for (const row of storedRows) {
    const key = history.keyId(row.fingerprint, row.ip, row.port);
    const list = storedByKey.get(key) ?? [];
    list.push({
      id: row.id,
      fromHour: Number(row.from_hour),
      toHour: Number(row.to_hour),
      flags: row.flags ?? [],
      nickname: row.nickname,
    });
    storedByKey.set(key, list);
  }

  const inserts: CopyValue[][] = [];
  const updates: CopyValue[][] = [];
  const deletes: string[] = [];
  const batchTouches = (intervals: StoredInterval[]) =>
    intervals.some((s) => sorted.some((hour) => hour >= s.fromHour && hour < s.toHour));
  for (let key = 0; key < history.keyCount; key++) {
    const runs = history.runs[key];
    const stored = storedByKey.get(key) ?? [];
    if (runs.length === 0 && (stored.length === 0 || !batchTouches(stored))) continue;
    if (runs.length) result.addresses++;
    const plan = planConsensusIntervals(hours, batchHours, runs, stored);
    const batchFlags = runs.length ? history.flagList(history.flagMask[key]) : [];
    for (const interval of plan.intervals) {
      const flags = [
        ...new Set([...batchFlags, ...(interval.reuse?.flags ?? []), ...interval.merged.flatMap((m) => m.flags)]),
      ].sort();
      const nickname = (runs.length ? history.nickname[key] || null : null) ?? interval.reuse?.nickname ?? null;
      deletes.push(...interval.merged.map((m) => m.id));
      const reuse = interval.reuse;
      if (!reuse) {
        result.added++;
        inserts.push([
          history.fingerprint[key],
          history.ip[key],
          history.port[key],
          iso(interval.fromHour),
          iso(interval.toHour),
          flags,
          nickname,
        ]);
      } else if (
        reuse.fromHour !== interval.fromHour ||
        reuse.toHour !== interval.toHour ||
        flags.join() !== [...reuse.flags].sort().join() ||
        nickname !== reuse.nickname
      ) {
        if (interval.fromHour < reuse.fromHour || interval.toHour > reuse.toHour) result.extended++;
        updates.push([reuse.id, iso(interval.fromHour), iso(interval.toHour), flags, nickname]);
      }
    }
    deletes.push(...plan.deleted.map((d) => d.id));
  }
  result.removed = deletes.length;

  if (deletes.length) await client.query('DELETE FROM relay_address WHERE id = ANY ($1::bigint[])', [deletes]);
  if (updates.length) {
    await client.query(
      'CREATE TEMP TABLE consensus_update (id bigint, valid_from timestamptz, valid_to timestamptz, flags text[], nickname text) ON COMMIT DROP',
    );
    await copyRows(client, 'consensus_update', ['id', 'valid_from', 'valid_to', 'flags', 'nickname'], updates);
    await client.query(
      `UPDATE relay_address a SET valid_from = u.valid_from, valid_to = u.valid_to, flags = u.flags, nickname = u.nickname,
              last_snapshot_id = $1, updated_at = now()
       FROM consensus_update u WHERE a.id = u.id`,
      [snapshotId],
    );
    await client.query('DROP TABLE consensus_update');
  }
  if (inserts.length) {
    await client.query(
      'CREATE TEMP TABLE consensus_insert (fingerprint text, ip inet, port int, valid_from timestamptz, valid_to timestamptz, flags text[], nickname text) ON COMMIT DROP',
    );
    await copyRows(
      client,
      'consensus_insert',
      ['fingerprint', 'ip', 'port', 'valid_from', 'valid_to', 'flags', 'nickname'],
      inserts,
    );
    await client.query(
      `INSERT INTO relay_address (fingerprint, ip, port, kind, evidence, valid_from, valid_to, flags, nickname,
                                  first_snapshot_id, last_snapshot_id, updated_at)
       SELECT fingerprint, ip, port, 'or', 'consensus', valid_from, valid_to, flags, nickname, $1, $1, now()
       FROM consensus_insert`,
      [snapshotId],
    );
    await client.query('DROP TABLE consensus_insert');
  }
  const relays = relayInfos(history);
  result.relays = relays.length;
  const newest = await client.query('SELECT 1 FROM relay_snapshot WHERE observed_at > $1 AND id <> $2 LIMIT 1', [
    iso(sorted[sorted.length - 1]),
    snapshotId,
  ]);
  await upsertRelays(client, relays, newest.rows.length === 0);
  return result;
}

/** Each listed relay with the nickname and flags of its latest consensus in the batch. */
function relayInfos(history: ConsensusHistory): RelayInfo[] {
  const latest = new Map<string, { key: number; firstHour: number }>();
  for (let key = 0; key < history.keyCount; key++) {
    if (history.runs[key].length === 0) continue;
    const fingerprint = history.fingerprint[key];
    const seen = latest.get(fingerprint);
    const firstHour = Math.min(history.runs[key][0], seen?.firstHour ?? Infinity);
    const latestKey = seen === undefined || history.lastHour[key] > history.lastHour[seen.key] ? key : seen.key;
    latest.set(fingerprint, { key: latestKey, firstHour });
  }
  return [...latest].map(([fingerprint, { key, firstHour }]) => ({
    fingerprint,
    nickname: history.nickname[key] || null,
    country: null,
    flags: history.flagList(history.lastFlags[key]),
    asNumber: null,
    asName: null,
    hostnames: [],
    firstSeen: new Date(firstHour * HOUR_MS),
    lastSeen: new Date((history.lastHour[key] + 1) * HOUR_MS),
    running: null,
    consensusWeight: null,
  }));
}
