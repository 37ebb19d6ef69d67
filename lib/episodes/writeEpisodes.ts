import { csvRow } from '@/lib/export/csv';
import { getPool } from '@/lib/db/pool';
import { EPISODE_COLUMNS, episodeRecordSql, type EpisodeRecord } from './episodeColumns';

export interface EpisodeRange {
  from?: Date; // inclusive
  to?: Date; // exclusive
}

const PAGE = 2000;

/**
 * Streams the episodes that have hits in [from, to) — an episode overlapping the range, i.e. last seen at or after
 * `from` and first seen before `to` — as CSV or a JSON array, ordered by FirstSeen, DeviceId, EpisodeId. Shared by
 * the CLI and GET /api/v1/episodes; `write` resolves when the sink takes more (backpressure).
 */
export async function writeEpisodes(
  options: EpisodeRange & { format: 'csv' | 'json' },
  write: (chunk: string) => Promise<void>,
): Promise<number> {
  let first = true;
  let count = 0;
  await write(options.format === 'csv' ? csvRow(EPISODE_COLUMNS) : '[');
  let after: [string, string, string] | null = null; // keyset: first_seen (text), device_id, id
  for (;;) {
    const result = await getPool().query<EpisodeRecord & { k: string }>(
      `
      SELECT ${episodeRecordSql('e')}, e.first_seen::text AS k FROM episode e
      WHERE ($1::timestamptz IS NULL OR e.last_seen >= $1) AND ($2::timestamptz IS NULL OR e.first_seen < $2)
        AND ($3::timestamptz IS NULL OR (e.first_seen, e.device_id, e.id) > ($3::timestamptz, $4::text, $5::bigint))
      ORDER BY e.first_seen, e.device_id, e.id LIMIT ${PAGE}`,
      [options.from ?? null, options.to ?? null, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null],
    );
    const rows: Array<EpisodeRecord & { k: string }> = result.rows;
    let chunk = '';
    for (const { k: _k, ...row } of rows) {
      if (options.format === 'csv') chunk += csvRow(EPISODE_COLUMNS.map((c) => row[c]));
      else {
        chunk += `${first ? '\n' : ',\n'}${JSON.stringify(row)}`;
        first = false;
      }
    }
    if (chunk) await write(chunk);
    count += rows.length;
    if (rows.length < PAGE) break;
    const last: EpisodeRecord & { k: string } = rows[rows.length - 1];
    after = [last.k, last.DeviceId, last.EpisodeId];
  }
  if (options.format === 'json') await write(first ? ']\n' : '\n]\n');
  return count;
}
