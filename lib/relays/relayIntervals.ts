import type pg from 'pg';
import { copyRows } from './copyRows';
import type { ParsedRelayDocument } from './types';

// The relay_address interval rules (docs/architecture.md §5.3), applied set-based to one snapshot inside the
// caller's transaction. Key: (fingerprint, ip, port, kind). OR/dir listings are evidence from
// min(last change, T) to T; exit listings from O − 24 h to O (O = the scan time, else T), never stretched back by a
// last-change date. A listing within 7 days of an interval of its key ([from − 7 d, to + 7 d]) merges into it;
// otherwise it starts a new interval, no earlier than the end of the key's previous interval. Grace is not stored.
// Consensus-history intervals (evidence 'consensus', lib/relays/archive) are a separate kind of evidence: never merged.

const EXIT_WINDOW_MS = 24 * 3_600_000;

export interface IntervalChanges {
  added: number;
  extended: number;
}

/** Loads the snapshot's observations into the temp table `relay_obs` (dropped at commit). */
export async function stageObservations(
  client: pg.PoolClient,
  document: ParsedRelayDocument,
  snapshotTime: Date,
): Promise<void> {
  const nicknames = new Map(document.relays.map((relay) => [relay.fingerprint, relay.nickname]));
  const t = snapshotTime.getTime();
  const rows = document.addresses.map((address, index) => {
    let from: number;
    let seen: number;
    if (address.kind === 'exit') {
      seen = address.observedAt?.getTime() ?? t;
      from = seen - EXIT_WINDOW_MS;
    } else {
      seen = t;
      from = Math.min(address.lastChanged?.getTime() ?? t, t);
    }
    return [
      index + 1,
      address.fingerprint,
      address.ip,
      address.port,
      address.kind,
      new Date(from).toISOString(),
      new Date(seen).toISOString(),
      nicknames.get(address.fingerprint) ?? null,
      address.hostname,
      address.country,
    ];
  });
  await client.query(`
    CREATE TEMP TABLE relay_obs (
      n int PRIMARY KEY, fingerprint text NOT NULL, ip inet NOT NULL, port int NOT NULL, kind text NOT NULL,
      evidence_from timestamptz NOT NULL, seen_at timestamptz NOT NULL,
      nickname text, hostname text, country text, address_id bigint
    ) ON COMMIT DROP`);
  await copyRows(
    client,
    'relay_obs',
    ['n', 'fingerprint', 'ip', 'port', 'kind', 'evidence_from', 'seen_at', 'nickname', 'hostname', 'country'],
    rows,
  );
  await client.query('ANALYZE relay_obs');
}

/** Merges the staged observations into relay_address; returns how many intervals were added and extended. */
export async function applyIntervals(client: pg.PoolClient, snapshotId: number): Promise<IntervalChanges> {
  // The interval each listing merges into: the nearest within 7 days, the later one on a tie.
  await client.query(`
    UPDATE relay_obs o SET address_id = m.id
    FROM (
      SELECT DISTINCT ON (o.n) o.n, a.id
      FROM relay_obs o
      JOIN relay_address a
        ON a.fingerprint = o.fingerprint AND a.ip = o.ip AND a.port = o.port AND a.kind = o.kind AND a.evidence = 'snapshot'
       AND o.seen_at BETWEEN a.valid_from - interval '7 days' AND a.valid_to + interval '7 days'
      ORDER BY o.n, greatest(a.valid_from - o.seen_at, o.seen_at - a.valid_to, interval '0'), a.valid_to DESC
    ) m
    WHERE o.n = m.n`);
  // Evidence never reaches back over the key's previous interval: the gap between them stays unbridged.
  await client.query(`
    UPDATE relay_obs o SET evidence_from = greatest(o.evidence_from, p.previous_end)
    FROM (
      SELECT o.n, max(a.valid_to) AS previous_end
      FROM relay_obs o
      LEFT JOIN relay_address cur ON cur.id = o.address_id
      JOIN relay_address a
        ON a.fingerprint = o.fingerprint AND a.ip = o.ip AND a.port = o.port AND a.kind = o.kind AND a.evidence = 'snapshot'
       AND a.id IS DISTINCT FROM o.address_id
       AND a.valid_to < coalesce(cur.valid_from, o.seen_at)
      GROUP BY o.n
    ) p
    WHERE o.n = p.n`);
  const extended = await client.query<{ count: string }>(
    `WITH merged AS (
       SELECT a.id,
              least(a.valid_from, o.evidence_from) AS valid_from,
              greatest(a.valid_to, o.seen_at) AS valid_to,
              o.seen_at >= a.valid_to AS latest_listing,
              (o.evidence_from < a.valid_from OR o.seen_at > a.valid_to) AS widened
       FROM relay_obs o JOIN relay_address a ON a.id = o.address_id
     ), updated AS (
       UPDATE relay_address a
       SET valid_from = m.valid_from,
           valid_to = m.valid_to,
           last_snapshot_id = CASE WHEN m.latest_listing THEN $1 ELSE a.last_snapshot_id END,
           updated_at = CASE WHEN m.widened THEN now() ELSE a.updated_at END
       FROM merged m
       WHERE a.id = m.id AND (m.widened OR m.latest_listing)
       RETURNING m.widened
     )
     SELECT count(*) FILTER (WHERE widened) AS count FROM updated`,
    [snapshotId],
  );
  const added = await client.query(
    `INSERT INTO relay_address (fingerprint, ip, port, kind, valid_from, valid_to, first_snapshot_id, last_snapshot_id, updated_at)
     SELECT fingerprint, ip, port, kind, evidence_from, seen_at, $1, $1, now()
     FROM relay_obs WHERE address_id IS NULL`,
    [snapshotId],
  );
  return { added: added.rowCount ?? 0, extended: Number(extended.rows[0].count) };
}

/** The snapshot's rows as listed, for the compat mode and diffing. */
export async function insertSnapshotEntries(client: pg.PoolClient, snapshotId: number): Promise<void> {
  await client.query(
    `INSERT INTO relay_snapshot_entry (snapshot_id, fingerprint, nickname, ip, port, kind, hostname, country)
     SELECT $1, fingerprint, nickname, ip, port, kind, hostname, country FROM relay_obs ORDER BY n`,
    [snapshotId],
  );
}

/** Drops the listed rows of a feed's older snapshots, keeping the latest two; relay_address keeps the history. */
export async function pruneSnapshotEntries(client: pg.PoolClient, feedId: number): Promise<void> {
  await client.query(
    `DELETE FROM relay_snapshot_entry e
     USING relay_snapshot s
     WHERE e.snapshot_id = s.id AND s.feed_id = $1
       AND s.id NOT IN (SELECT id FROM relay_snapshot WHERE feed_id = $1 ORDER BY observed_at DESC, id DESC LIMIT 2)`,
    [feedId],
  );
}
