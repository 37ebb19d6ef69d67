import { getPool } from '@/lib/db/pool';
import { consensusGraceHours, GRACE_SQL, graceHours } from '@/lib/match/grace';
import { canonicalIp } from '@/lib/net/ip';
import { consensusDay, type ConsensusDay } from './archive/consensusDay';

// "Was this address a Tor relay at that time, and which?" (like the Tor Project's ExoneraTor). Uses the matcher's
// definition: an interval of the address, widened on both sides by its grace (TORWATCH_MATCH_GRACE_HOURS for relay
// lists, TORWATCH_CONSENSUS_GRACE_HOURS for consensus history), holds the time, bounds inclusive.

export interface RelayAddressInterval {
  fingerprint: string; // '' for a bulk exit list entry (no relay named)
  nickname: string | null;
  flags: string[];
  country: string | null;
  ip: string;
  port: number;
  kind: 'or' | 'exit' | 'dir';
  evidence: 'snapshot' | 'consensus';
  validFrom: string; // ISO 8601 UTC
  validTo: string;
  strict: boolean; // the time lies inside the interval itself, not only in the grace margin
}

export interface RelayLookup {
  ip: string; // canonical
  at: string; // ISO 8601 UTC, six fractional digits
  graceHours: number;
  consensusGraceHours: number;
  wasRelay: boolean;
  matches: RelayAddressInterval[]; // intervals holding the time (with grace)
  otherIntervals: RelayAddressInterval[]; // the address's other intervals, latest first (at most 20)
  consensus: ConsensusDay | null; // hour-exact, from consensus history; null when none is stored around the time
}

export class RelayLookupError extends Error {}

export async function lookupRelayAddress(
  ipText: string,
  at: Date = new Date(),
  grace = graceHours(),
  consensusGrace = consensusGraceHours(),
): Promise<RelayLookup> {
  const ip = canonicalIp(ipText);
  if (!ip) throw new RelayLookupError(`"${ipText}" is not an IP address`);
  if (Number.isNaN(at.getTime())) throw new RelayLookupError('the time is not a valid date');
  const { rows } = await getPool().query<RelayAddressInterval & { holds: boolean }>(
    `SELECT a.fingerprint, coalesce(a.nickname, r.nickname) AS nickname,
            CASE WHEN a.evidence = 'consensus' THEN a.flags ELSE coalesce(r.flags, '{}') END AS flags, r.country,
            host(a.ip) AS ip, a.port, a.kind, a.evidence,
            to_char(a.valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "validFrom",
            to_char(a.valid_to AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "validTo",
            $3::timestamptz BETWEEN a.valid_from AND a.valid_to AS strict,
            $3::timestamptz BETWEEN a.valid_from - ${GRACE_SQL} AND a.valid_to + ${GRACE_SQL} AS holds
     FROM relay_address a LEFT JOIN relay r ON r.fingerprint = a.fingerprint
     WHERE a.ip = $4::inet
     ORDER BY holds DESC, a.valid_to DESC, a.fingerprint, a.kind, a.port
     LIMIT 200`,
    [`${grace} hours`, `${consensusGrace} hours`, at.toISOString(), ip],
  );
  const consensus = await consensusDay(ip, at);
  const strip = ({ holds: _holds, ...interval }: RelayAddressInterval & { holds: boolean }) => interval;
  const matches = rows.filter((row) => row.holds).map(strip);
  return {
    ip,
    at: at.toISOString().replace(/Z$/, '000Z'),
    graceHours: grace,
    consensusGraceHours: consensusGrace,
    wasRelay: matches.length > 0,
    matches,
    otherIntervals: rows
      .filter((row) => !row.holds)
      .slice(0, 20)
      .map(strip),
    consensus,
  };
}
