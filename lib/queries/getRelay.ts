import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { authoriseQuery } from '@/lib/auth/authorise';

export interface RelayAddressHistoryRow {
  ip: string;
  port: number;
  kind: string;
  evidence: string; // snapshot | consensus
  flags: string[]; // consensus evidence: the flags seen while listed
  validFrom: string;
  validTo: string;
  firstSnapshotId: number;
  lastSnapshotId: number;
}

export interface RelayDetail {
  fingerprint: string;
  nickname: string | null;
  country: string | null;
  flags: string[];
  asNumber: string | null;
  asName: string | null;
  hostnames: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  running: boolean | null;
  consensusWeight: number | null;
  history: RelayAddressHistoryRow[]; // every interval, latest first
}

/** One relay with its whole address history (relay_address intervals), or null when unknown. */
export async function getRelay(actor: Actor, fingerprint: string): Promise<RelayDetail | null> {
  authoriseQuery(actor, 'viewer');
  const key = fingerprint.trim().replace(/^\$/, '').toUpperCase();
  if (!/^[0-9A-F]{40}$/.test(key)) return null;
  const pool = getPool();
  const [relay, history] = await Promise.all([
    pool.query('SELECT * FROM relay WHERE fingerprint = $1', [key]),
    pool.query(
      `SELECT host(ip) AS ip, port, kind, evidence, flags, valid_from, valid_to, first_snapshot_id, last_snapshot_id
       FROM relay_address WHERE fingerprint = $1 ORDER BY valid_to DESC, kind, ip, port LIMIT 1000`,
      [key],
    ),
  ]);
  const row = relay.rows[0];
  if (!row && history.rows.length === 0) return null;
  const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;
  return {
    fingerprint: key,
    nickname: row?.nickname ?? null,
    country: row?.country ?? null,
    flags: row?.flags ?? [],
    asNumber: row?.as_number ?? null,
    asName: row?.as_name ?? null,
    hostnames: row?.hostnames ?? [],
    firstSeen: iso(row?.first_seen),
    lastSeen: iso(row?.last_seen),
    running: row?.running ?? null,
    consensusWeight: row?.consensus_weight == null ? null : Number(row.consensus_weight),
    history: history.rows.map((h) => ({
      ip: h.ip,
      port: h.port,
      kind: h.kind,
      evidence: h.evidence,
      flags: h.flags ?? [],
      validFrom: h.valid_from.toISOString(),
      validTo: h.valid_to.toISOString(),
      firstSnapshotId: h.first_snapshot_id,
      lastSnapshotId: h.last_snapshot_id,
    })),
  };
}
