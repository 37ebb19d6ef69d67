import { Prisma } from '@/generated/prisma/client';
import type { HitFilter } from '@/lib/hits/filters';

// The Episodes page reads the hits page's filter (same URL parameters, lib/hits/filters.ts) and applies it to episodes
// (alias `episode`): the time range selects episodes that overlap it; device, process (case-insensitive), country,
// relay, confidence (the episode's highest), exit, status (the episode's) and free text match the episode's own
// columns; action, direction and port match select episodes with at least one such hit.
// With no status chosen, episodes whose hits are all suppressed are hidden, as suppressed hits are on the hits page.

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function episodeFilterSql(filter: HitFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [
    Prisma.sql`episode.last_seen >= ${filter.range.from} AND episode.first_seen < ${filter.range.to}`,
  ];
  if (filter.countries.length) {
    const codes = filter.countries.filter((c) => c !== '-');
    const none = filter.countries.includes('-');
    parts.push(
      Prisma.sql`(episode.country_codes && ${codes}::text[]${none ? Prisma.sql` OR cardinality(episode.country_codes) = 0` : Prisma.empty})`,
    );
  }
  if (filter.processes.length)
    parts.push(
      Prisma.sql`episode.process_key = ANY(${filter.processes.map((p) => (p === '(no process)' ? '' : p.toLowerCase()))}::text[])`,
    );
  if (filter.devices.length) parts.push(Prisma.sql`episode.device_id = ANY(${filter.devices}::text[])`);
  if (filter.confidences.length) parts.push(Prisma.sql`episode.max_confidence = ANY(${filter.confidences}::text[])`);
  if (filter.statuses.length) parts.push(Prisma.sql`episode.status = ANY(${filter.statuses}::text[])`);
  else parts.push(Prisma.sql`episode.status <> 'suppressed'`);
  if (filter.exit !== undefined) parts.push(Prisma.sql`episode.is_exit = ${filter.exit}`);
  if (filter.relay) parts.push(Prisma.sql`episode.relay_fingerprints @> ARRAY[${filter.relay}::text]`);
  const hitParts: Prisma.Sql[] = [];
  if (filter.actions.length) hitParts.push(Prisma.sql`h.action_type = ANY(${filter.actions}::text[])`);
  if (filter.directions.length) hitParts.push(Prisma.sql`h.direction = ANY(${filter.directions}::text[])`);
  if (filter.portMatch !== undefined) hitParts.push(Prisma.sql`h.port_match = ${filter.portMatch}`);
  if (hitParts.length)
    parts.push(
      Prisma.sql`EXISTS (SELECT 1 FROM hit h WHERE h.episode_id = episode.id AND h.evidence_valid AND ${Prisma.join(hitParts, ' AND ')})`,
    );
  if (filter.q) {
    const like = likePattern(filter.q);
    // One ILIKE over the three columns joined by a newline (a third of the work per episode; a pattern without a
    // newline cannot match across the joins), read from the covering index episode_page_idx.
    if (filter.q.includes('\n'))
      parts.push(Prisma.sql`(episode.device_name ILIKE ${like} OR episode.device_id ILIKE ${like}
        OR episode.process_file_name ILIKE ${like})`);
    else
      parts.push(Prisma.sql`(coalesce(episode.device_name, '') || E'\n' || episode.device_id || E'\n'
        || coalesce(episode.process_file_name, '')) ILIKE ${like}`);
  }
  return Prisma.join(parts, ' AND ');
}
