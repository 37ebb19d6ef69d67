import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { canonicalIp } from '@/lib/net/ip';
import { authoriseQuery } from '@/lib/auth/authorise';

export interface RelaySearch {
  q?: string; // an IP address, a fingerprint (or its first 6+ hex digits) or part of a nickname
  country?: string; // two letters
}

export interface RelaySearchRow {
  fingerprint: string;
  nickname: string | null;
  country: string | null;
  flags: string[];
  addresses: string[]; // the addresses of its latest listing, `ip:port` (OR/dir) or `ip` (exit)
  lastListedAt: string | null;
}

export interface RelaySearchResult {
  rows: RelaySearchRow[];
  matchedBy: 'ip' | 'fingerprint' | 'nickname' | 'all';
  limited: boolean; // more relays matched than shown
}

export const RELAY_SEARCH_LIMIT = 50;

/** Relays by IP (any time), fingerprint prefix or nickname, optionally in one country; most recently listed first. */
export async function searchRelays(actor: Actor, search: RelaySearch): Promise<RelaySearchResult> {
  authoriseQuery(actor, 'viewer');
  const q = search.q?.trim() ?? '';
  const country = /^[A-Za-z]{2}$/.test(search.country ?? '') ? search.country!.toLowerCase() : null;
  const ip = q ? canonicalIp(q) : null;
  const hex = q.replace(/^\$/, '');
  const matchedBy: RelaySearchResult['matchedBy'] = !q
    ? 'all'
    : ip
      ? 'ip'
      : /^[0-9a-fA-F]{6,40}$/.test(hex)
        ? 'fingerprint'
        : 'nickname';
  const filter = {
    all: "$1::text = ''",
    ip: 'r.fingerprint IN (SELECT fingerprint FROM relay_address WHERE ip = $1::inet)',
    fingerprint: 'r.fingerprint LIKE $1',
    nickname: `r.nickname ILIKE $1 ESCAPE '\\'`,
  }[matchedBy];
  const value = { all: '', ip, fingerprint: `${hex.toUpperCase()}%`, nickname: `%${q.replace(/[\\%_]/g, '\\$&')}%` }[
    matchedBy
  ];
  const { rows } = await getPool().query(
    `SELECT r.fingerprint, r.nickname, r.country, r.flags, latest.addresses, latest.last_listed
     FROM relay r
     LEFT JOIN LATERAL (
       SELECT max(a.valid_to) AS last_listed,
              array_agg(DISTINCT CASE WHEN a.port = 0 THEN host(a.ip)
                                      WHEN family(a.ip) = 6 THEN '[' || host(a.ip) || ']:' || a.port
                                      ELSE host(a.ip) || ':' || a.port END) AS addresses
       FROM relay_address a
       WHERE a.fingerprint = r.fingerprint
         AND a.valid_to = (SELECT max(valid_to) FROM relay_address WHERE fingerprint = r.fingerprint)
     ) latest ON true
     WHERE ${filter} AND ($2::text IS NULL OR r.country = $2)
     ORDER BY latest.last_listed DESC NULLS LAST, r.nickname, r.fingerprint
     LIMIT ${RELAY_SEARCH_LIMIT + 1}`,
    [value, country],
  );
  return {
    rows: rows.slice(0, RELAY_SEARCH_LIMIT).map((row) => ({
      fingerprint: row.fingerprint,
      nickname: row.nickname,
      country: row.country,
      flags: row.flags,
      addresses: row.addresses ?? [],
      lastListedAt: row.last_listed?.toISOString() ?? null,
    })),
    matchedBy,
    limited: rows.length > RELAY_SEARCH_LIMIT,
  };
}
