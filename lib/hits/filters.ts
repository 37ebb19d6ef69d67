import { z } from 'zod';
import { Prisma } from '@/generated/prisma/client';
import {
  DEFAULT_PRESET,
  RANGE_PRESETS,
  customRange,
  presetRange,
  type TimeRange,
  type TimeZoneMode,
} from '@/lib/time/ranges';
import { parseInstant } from '@/lib/time/instant';

// The hits filter model: URL search params ⇄ HitFilter ⇄ a parameterised SQL condition over the `hit` table.
// Shared by the hits explorer, the overview, exports, and the triage engineer's bulk actions by filter.
// The value sets live in hitValues.ts (no Prisma import) so client components can use them; re-exported here.
export { CONFIDENCES, DIRECTIONS, STATUSES, type Confidence, type Direction, type HitStatus } from './hitValues';
import { CONFIDENCES, DIRECTIONS, STATUSES, type Confidence, type Direction, type HitStatus } from './hitValues';

export interface HitFilter {
  range: TimeRange;
  tz: TimeZoneMode; // display only; never changes which rows match
  countries: string[]; // lower-case alpha-2; '-' matches hits without a country
  processes: string[]; // exact InitiatingProcessFileName
  devices: string[]; // DeviceId
  actions: string[];
  directions: Direction[];
  confidences: Confidence[];
  statuses: HitStatus[];
  portMatch?: boolean;
  exit?: boolean;
  relay?: string; // a relay fingerprint
  q?: string; // free text over device, process, addresses
}

export class HitFilterError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export type SearchParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

const MAX_VALUES = 100;
const text = (max: number) => z.string().trim().min(1).max(max);
const many = <T extends z.ZodType>(item: T) => z.array(item).max(MAX_VALUES).default([]);
const flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();
const isoDate = z.string().refine((v) => parseInstant(v) !== null, 'not an ISO 8601 date');

const paramsSchema = z.object({
  range: z.enum([...RANGE_PRESETS, 'custom']).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  tz: z.enum(['utc', 'local']).default('utc'),
  country: many(
    z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^([a-z]{2}|-)$/, 'a two-letter country code or -'),
  ),
  process: many(text(260)),
  device: many(text(200)),
  action: many(text(100)),
  direction: many(z.enum(DIRECTIONS)),
  confidence: many(z.enum(CONFIDENCES)),
  status: many(z.enum(STATUSES)),
  port: flag,
  exit: flag,
  relay: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[0-9A-F]{40}$/, 'a 40-hex-digit relay fingerprint')
    .optional(),
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || undefined),
});

const LIST_KEYS = new Set(['country', 'process', 'device', 'action', 'direction', 'confidence', 'status']);

function entriesOf(input: SearchParamsInput): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const add = (key: string, value: string) => {
    if (value === '' && !LIST_KEYS.has(key)) return;
    if (LIST_KEYS.has(key))
      out[key] = [...((out[key] as string[] | undefined) ?? []), ...(value === '' ? [] : [value])];
    else out[key] ??= value; // a repeated scalar keeps its first value
  };
  if (input instanceof URLSearchParams) input.forEach((value, key) => add(key, value));
  else for (const [key, value] of Object.entries(input)) for (const v of [value ?? []].flat()) add(key, v);
  return out;
}

/** Search params → HitFilter. Throws HitFilterError naming the field (e.g. `from: not an ISO 8601 date`). */
export function parseHitFilter(searchParams: SearchParamsInput, now: Date = new Date()): HitFilter {
  const parsed = paramsSchema.safeParse(entriesOf(searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HitFilterError(String(issue.path[0] ?? 'query'), issue.message);
  }
  const p = parsed.data;
  const kind = p.range ?? (p.from || p.to ? 'custom' : DEFAULT_PRESET);
  let range: TimeRange;
  if (kind === 'custom') {
    if (!p.from) throw new HitFilterError('from', 'required for a custom range');
    try {
      range = customRange(parseInstant(p.from)!, p.to ? parseInstant(p.to)! : now);
    } catch (error) {
      const [field, ...rest] = (error as Error).message.split(': ');
      throw new HitFilterError(field, rest.join(': '));
    }
  } else range = presetRange(kind, now);
  return {
    range,
    tz: p.tz,
    countries: p.country,
    processes: p.process,
    devices: p.device,
    actions: p.action,
    directions: p.direction,
    confidences: p.confidence,
    statuses: p.status,
    portMatch: p.port,
    exit: p.exit,
    relay: p.relay,
    q: p.q,
  };
}

/** HitFilter → search params (the inverse of parseHitFilter; presets stay relative so a shared link moves with time). */
export function serialiseHitFilter(filter: HitFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.range.kind === 'custom') {
    params.set('from', filter.range.from.toISOString());
    params.set('to', filter.range.to.toISOString());
  } else if (filter.range.kind !== DEFAULT_PRESET) params.set('range', filter.range.kind);
  if (filter.tz !== 'utc') params.set('tz', filter.tz);
  const lists: Array<[string, readonly string[]]> = [
    ['country', filter.countries],
    ['process', filter.processes],
    ['device', filter.devices],
    ['action', filter.actions],
    ['direction', filter.directions],
    ['confidence', filter.confidences],
    ['status', filter.statuses],
  ];
  for (const [key, values] of lists) for (const value of values) params.append(key, value);
  if (filter.portMatch !== undefined) params.set('port', String(filter.portMatch));
  if (filter.exit !== undefined) params.set('exit', String(filter.exit));
  if (filter.relay) params.set('relay', filter.relay);
  if (filter.q) params.set('q', filter.q);
  return params;
}

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
  if (filter.countries.length) {
    const codes = filter.countries.filter((c) => c !== '-');
    const none = filter.countries.includes('-');
    parts.push(
      Prisma.sql`(${codes.length ? Prisma.sql`country = ANY(${codes}::text[])` : Prisma.sql`false`}${none ? Prisma.sql` OR country IS NULL` : Prisma.empty})`,
    );
  }
  if (filter.processes.length) parts.push(Prisma.sql`process_file_name = ANY(${filter.processes}::text[])`);
  if (filter.devices.length) parts.push(Prisma.sql`device_id = ANY(${filter.devices}::text[])`);
  if (filter.actions.length) parts.push(Prisma.sql`action_type = ANY(${filter.actions}::text[])`);
  if (filter.directions.length) parts.push(Prisma.sql`direction = ANY(${filter.directions}::text[])`);
  if (filter.confidences.length) parts.push(Prisma.sql`confidence = ANY(${filter.confidences}::text[])`);
  if (filter.statuses.length) parts.push(Prisma.sql`status = ANY(${filter.statuses}::text[])`);
  else parts.push(Prisma.sql`status <> 'suppressed'`); // suppressed hits are hidden unless the status filter asks for them
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

/** Whether anything beyond the time range narrows the hits (for "clear filters" and empty-state wording). */
export function hasNarrowingFilter(filter: HitFilter): boolean {
  return Boolean(
    filter.countries.length ||
    filter.processes.length ||
    filter.devices.length ||
    filter.actions.length ||
    filter.directions.length ||
    filter.confidences.length ||
    filter.statuses.length ||
    filter.portMatch !== undefined ||
    filter.exit !== undefined ||
    filter.relay ||
    filter.q,
  );
}
