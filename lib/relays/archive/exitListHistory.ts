import type pg from 'pg';
import { copyRows } from '../copyRows';
import { applyIntervals } from '../relayIntervals';
import type { ParsedRelayDocument, RelayInfo } from '../types';
import { upsertRelays } from '../upsertRelays';

// The ExitAddress lines of a batch of exit lists (TorDNSEL, CollecTor archive/recent), kept per (relay, address) as
// clusters of scan times — scans less than 7 days apart form one cluster, as the exit-address rule merges them
// (README "Relay history": each scan is evidence for [scan − 24 h, scan]). Stored through the same interval rules
// as a snapshot's exit addresses (relayIntervals.ts), one cluster per key at a time.

const MERGE_MS = 7 * 24 * 3_600_000;
const EXIT_WINDOW_MS = 24 * 3_600_000;

export class ExitListHistory {
  private readonly clusters = new Map<string, number[]>(); // 'fp ip' → flat [first, last, …] scan times (ms)
  private readonly relays = new Map<string, RelayInfo>();
  documents = 0;
  latestScan = 0;

  add(document: ParsedRelayDocument, fallbackTime: Date): void {
    this.documents++;
    for (const address of document.addresses) {
      const time = (address.observedAt ?? fallbackTime).getTime();
      this.latestScan = Math.max(this.latestScan, time);
      const key = `${address.fingerprint} ${address.ip}`;
      const list = this.clusters.get(key) ?? [];
      addScan(list, time);
      this.clusters.set(key, list);
    }
    for (const relay of document.relays) {
      const known = this.relays.get(relay.fingerprint);
      if (!known || (relay.lastSeen && (!known.lastSeen || relay.lastSeen > known.lastSeen)))
        this.relays.set(relay.fingerprint, relay);
    }
  }

  get addressCount(): number {
    return this.clusters.size;
  }

  get relayCount(): number {
    return this.relays.size;
  }

  /** Merges the batch into relay_address inside the caller's transaction. */
  async store(client: pg.PoolClient, snapshotId: number): Promise<{ added: number; extended: number }> {
    const total = { added: 0, extended: 0 };
    for (let round = 0; ; round++) {
      const rows: Array<Array<string | number>> = [];
      for (const [key, list] of this.clusters) {
        if (list.length <= round * 2) continue;
        const [fingerprint, ip] = key.split(' ');
        const first = list[round * 2];
        const last = list[round * 2 + 1];
        rows.push([
          rows.length + 1,
          fingerprint,
          ip,
          0,
          'exit',
          new Date(first - EXIT_WINDOW_MS).toISOString(),
          new Date(last).toISOString(),
        ]);
      }
      if (rows.length === 0) break;
      await client.query(`
        CREATE TEMP TABLE relay_obs (
          n int PRIMARY KEY, fingerprint text NOT NULL, ip inet NOT NULL, port int NOT NULL, kind text NOT NULL,
          evidence_from timestamptz NOT NULL, seen_at timestamptz NOT NULL,
          nickname text, hostname text, country text, address_id bigint
        ) ON COMMIT DROP`);
      await copyRows(client, 'relay_obs', ['n', 'fingerprint', 'ip', 'port', 'kind', 'evidence_from', 'seen_at'], rows);
      await client.query('ANALYZE relay_obs');
      const changes = await applyIntervals(client, snapshotId);
      total.added += changes.added;
      total.extended += changes.extended;
      await client.query('DROP TABLE relay_obs');
    }
    const newest = await client.query('SELECT 1 FROM relay_snapshot WHERE observed_at > $1 AND id <> $2 LIMIT 1', [
      new Date(this.latestScan).toISOString(),
      snapshotId,
    ]);
    await upsertRelays(client, [...this.relays.values()], newest.rows.length === 0);
    return total;
  }
}

function addScan(list: number[], time: number): void {
  for (let i = 0; i < list.length; i += 2) {
    if (time >= list[i] - MERGE_MS && time <= list[i + 1] + MERGE_MS) {
      list[i] = Math.min(list[i], time);
      list[i + 1] = Math.max(list[i + 1], time);
      // a widened cluster may now reach its neighbour
      if (i + 2 < list.length && list[i + 1] + MERGE_MS >= list[i + 2]) {
        list[i + 1] = Math.max(list[i + 1], list[i + 3]);
        list.splice(i + 2, 2);
      }
      if (i >= 2 && list[i - 1] + MERGE_MS >= list[i]) {
        list[i - 1] = Math.max(list[i - 1], list[i + 1]);
        list.splice(i, 2);
      }
      return;
    }
    if (time < list[i]) {
      list.splice(i, 0, time, time);
      return;
    }
  }
  list.push(time, time);
}
