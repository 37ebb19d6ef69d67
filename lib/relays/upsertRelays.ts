import type pg from 'pg';
import { copyRows } from './copyRows';
import type { RelayInfo } from './types';

/** Flags sorted and without duplicates: a hit with one relay carries that relay's flags as stored (lib/match). */
const CANONICAL_FLAGS = 'ARRAY(SELECT DISTINCT f FROM unnest(flags) AS f ORDER BY f) AS flags';

/**
 * Stores each relay's metadata. A snapshot newer than every stored one overwrites what it knows (feeds that know
 * less, like exit lists, never blank out a nickname or flags); an older snapshot only adds relays not seen yet.
 */
export async function upsertRelays(client: pg.PoolClient, relays: RelayInfo[], isLatest: boolean): Promise<void> {
  if (relays.length === 0) return;
  await client.query('CREATE TEMP TABLE relay_staged (LIKE relay INCLUDING DEFAULTS) ON COMMIT DROP');
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  await copyRows(
    client,
    'relay_staged',
    [
      'fingerprint',
      'nickname',
      'country',
      'flags',
      'as_number',
      'as_name',
      'hostnames',
      'first_seen',
      'last_seen',
      'running',
      'consensus_weight',
    ],
    relays.map((r) => [
      r.fingerprint,
      r.nickname,
      r.country,
      r.flags,
      r.asNumber,
      r.asName,
      r.hostnames,
      iso(r.firstSeen),
      iso(r.lastSeen),
      r.running,
      r.consensusWeight,
    ]),
  );
  await client.query(
    `INSERT INTO relay (fingerprint, nickname, country, flags, as_number, as_name, hostnames, first_seen, last_seen,
                        running, consensus_weight, updated_at)
     SELECT fingerprint, nickname, country, ${CANONICAL_FLAGS}, as_number, as_name, hostnames, first_seen, last_seen,
            running, consensus_weight, now()
     FROM relay_staged
     ON CONFLICT (fingerprint) DO UPDATE SET
       nickname = coalesce(EXCLUDED.nickname, relay.nickname),
       country = coalesce(EXCLUDED.country, relay.country),
       flags = CASE WHEN cardinality(EXCLUDED.flags) > 0 THEN EXCLUDED.flags ELSE relay.flags END,
       as_number = coalesce(EXCLUDED.as_number, relay.as_number),
       as_name = coalesce(EXCLUDED.as_name, relay.as_name),
       hostnames = CASE WHEN cardinality(EXCLUDED.hostnames) > 0 THEN EXCLUDED.hostnames ELSE relay.hostnames END,
       first_seen = least(EXCLUDED.first_seen, relay.first_seen),
       last_seen = greatest(EXCLUDED.last_seen, relay.last_seen),
       running = coalesce(EXCLUDED.running, relay.running),
       consensus_weight = coalesce(EXCLUDED.consensus_weight, relay.consensus_weight),
       updated_at = now()
     WHERE $1::boolean`,
    [isLatest],
  );
}
