import { getPool } from '@/lib/db/pool';

// The ExoneraTor-style answer from consensus history: on the UTC day of a time, how many consensuses exist and how
// many of them listed an address — per relay, with the flags it had — and, hour by hour around the time, whether a
// consensus existed and listed it. A consensus listed the address when its valid-after lies in one of the address's
// consensus intervals (every consensus inside a run lists it: README "Relay history").

export interface ConsensusDayRelay {
  fingerprint: string;
  nickname: string | null;
  flags: string[];
  ports: number[];
  listed: number; // consensuses of the day that listed the address for this relay
}

export interface ConsensusHour {
  validAfter: string; // ISO 8601 UTC
  listed: boolean;
}

export interface ConsensusDay {
  day: string; // YYYY-MM-DD (UTC)
  consensuses: number; // consensuses that exist for the day
  relays: ConsensusDayRelay[];
  around: ConsensusHour[]; // the existing consensus hours from T − 12 h to T + 12 h
}

export async function consensusDay(ip: string, at: Date): Promise<ConsensusDay | null> {
  const dayStart = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const dayEnd = new Date(dayStart.getTime() + 24 * 3_600_000);
  const pool = getPool();
  const total = Number(
    (
      await pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM relay_consensus WHERE valid_after >= $1 AND valid_after < $2',
        [dayStart, dayEnd],
      )
    ).rows[0].n,
  );
  const around = await pool.query<{ valid_after: Date; listed: boolean }>(
    `SELECT c.valid_after, EXISTS (
       SELECT 1 FROM relay_address a WHERE a.ip = $1::inet AND a.evidence = 'consensus'
         AND c.valid_after >= a.valid_from AND c.valid_after < a.valid_to) AS listed
     FROM relay_consensus c
     WHERE c.valid_after BETWEEN $2::timestamptz - interval '12 hours' AND $2::timestamptz + interval '12 hours'
     ORDER BY c.valid_after`,
    [ip, at],
  );
  if (total === 0 && around.rows.length === 0) return null;
  const relays = await pool.query<ConsensusDayRelay & { listed: string }>(
    `SELECT a.fingerprint, max(a.nickname) AS nickname,
            ARRAY(SELECT DISTINCT f FROM unnest(array_agg(a.flags)) AS f ORDER BY f) AS flags,
            array_agg(DISTINCT a.port ORDER BY a.port) AS ports, count(DISTINCT c.valid_after) AS listed
     FROM relay_address a
     JOIN relay_consensus c ON c.valid_after >= a.valid_from AND c.valid_after < a.valid_to
     WHERE a.ip = $1::inet AND a.evidence = 'consensus' AND c.valid_after >= $2 AND c.valid_after < $3
     GROUP BY a.fingerprint ORDER BY a.fingerprint`,
    [ip, dayStart, dayEnd],
  );
  return {
    day: dayStart.toISOString().slice(0, 10),
    consensuses: total,
    relays: relays.rows.map((row) => ({ ...row, listed: Number(row.listed) })),
    around: around.rows.map((row) => ({ validAfter: row.valid_after.toISOString(), listed: row.listed })),
  };
}
