import { Prisma } from '@/generated/prisma/client';
import { LIST_FILTERS, type HitFilter } from './filters';

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * HitFilter → a SQL boolean condition over unqualified `hit` columns, every value a parameter:
 * `SELECT … FROM hit WHERE ${hitFilterSql(filter)}` or `UPDATE hit SET … WHERE ${hitFilterSql(filter)}`.
 * `options.withoutRange` leaves out the time range (for callers that bound time themselves).
 */
export function hitFilterSql(filter: HitFilter, options: { withoutRange?: boolean } = {}): Prisma.Sql {
  // Hits whose relay evidence was withdrawn (evidence_valid false) are not hits any more: machine output skips them too.
  const parts: Prisma.Sql[] = [Prisma.sql`evidence_valid`];
  if (!options.withoutRange) parts.push(Prisma.sql`ts >= ${filter.range.from} AND ts < ${filter.range.to}`);
  for (const { field, column } of LIST_FILTERS) {
    const values: readonly string[] = filter[field];
    if (field === 'countries') {
      if (!values.length) continue;
      // '-' matches hits without a country.
      const codes = values.filter((c) => c !== '-');
      const none = values.includes('-');
      parts.push(
        Prisma.sql`(${codes.length ? Prisma.sql`country = ANY(${codes}::text[])` : Prisma.sql`false`}${none ? Prisma.sql` OR country IS NULL` : Prisma.empty})`,
      );
    } else if (values.length) parts.push(Prisma.sql`${Prisma.raw(column)} = ANY(${values}::text[])`);
    // Suppressed hits are hidden unless the status filter asks for them.
    else if (field === 'statuses') parts.push(Prisma.sql`status <> 'suppressed'`);
  }
  if (filter.portMatch !== undefined) parts.push(Prisma.sql`port_match = ${filter.portMatch}`);
  if (filter.exit !== undefined) parts.push(Prisma.sql`is_exit = ${filter.exit}`);
  if (filter.relay) parts.push(Prisma.sql`relay_fingerprints @> ARRAY[${filter.relay}::text]`);
  if (filter.q) {
    const like = likePattern(filter.q);
    parts.push(Prisma.sql`(device_name ILIKE ${like} OR device_id ILIKE ${like} OR process_file_name ILIKE ${like}
      OR process_folder_path ILIKE ${like} OR host(remote_ip) LIKE ${like} OR host(local_ip) LIKE ${like}
      OR host(local_public_ip) LIKE ${like})`);
  }
  return Prisma.join(parts, ' AND ');
}
