import { getPool } from '@/lib/db/pool';
import { graceHours } from '@/lib/match/grace';
import { canonicalIp } from '@/lib/net/ip';

// "Was this address a Tor relay at that time, and which?" (like the Tor Project's ExoneraTor). Uses the matcher's
// definition: an interval of the address, widened on both sides by the grace (TORWATCH_MATCH_GRACE_HOURS), holds
// the time, bounds inclusive.

export interface RelayAddressInterval {
  fingerprint: string; // '' for a bulk exit list entry (no relay named)
  nickname: string | null;
  flags: string[];
  country: string | null;
  ip: string;
  port: number;
  kind: 'or' | 'exit' | 'dir';
  validFrom: string; // ISO 8601 UTC
  validTo: string;
  strict: boolean; // the time lies inside the interval itself, not only in the grace margin
}

export interface RelayLookup {
  ip: string; // canonical
  at: string; // ISO 8601 UTC, six fractional digits
  graceHours: number;
  wasRelay: boolean;
  matches: RelayAddressInterval[]; // intervals holding the time (with grace)
  otherIntervals: RelayAddressInterval[]; // the address's other intervals, latest first (at most 20)
}

export class RelayLookupError extends Error {}

export async function lookupRelayAddress(
  ipText: string,
  at: Date = new Date(),
  grace = graceHours(),
): Promise<RelayLookup> {
  const ip = canonicalIp(ipText);
  if (!ip) throw new RelayLookupError(`"${ipText}" is not an IP address`);
  if (Number.isNaN(at.getTime())) throw new RelayLookupError('the time is not a valid date');
  const { rows } = await getPool().query<RelayAddressInterval & { holds: boolean }>(
    `SELECT a.fingerprint, r.nickname, coalesce(r.flags, '{}') AS flags, r.country, host(a.ip) AS ip, a.port, a.kind,
            to_char(a.valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "validFrom",
            to_char(a.valid_to AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "validTo",
            $2::timestamptz BETWEEN a.valid_from AND a.valid_to AS strict,
            $2::timestamptz BETWEEN a.valid_from - $3::interval AND a.valid_to + $3::interval AS holds
     FROM relay_address a LEFT JOIN relay r ON r.fingerprint = a.fingerprint
     WHERE a.ip = $1::inet
     ORDER BY holds DESC, a.valid_to DESC, a.fingerprint, a.kind, a.port
     LIMIT 200`,
    [ip, at.toISOString(), `${grace} hours`],
  );
  const strip = ({ holds: _holds, ...interval }: RelayAddressInterval & { holds: boolean }) => interval;
  const matches = rows.filter((row) => row.holds).map(strip);
  return {
    ip,
    at: at.toISOString().replace(/Z$/, '000Z'),
    graceHours: grace,
    wasRelay: matches.length > 0,
    matches,
    otherIntervals: rows
      .filter((row) => !row.holds)
      .slice(0, 20)
      .map(strip),
  };
}
