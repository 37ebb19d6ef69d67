import { z } from 'zod';
import {
  DEFAULT_PRESET,
  RANGE_PRESETS,
  customRange,
  presetRange,
  type TimeRange,
  type TimeZoneMode,
} from '@/lib/time/ranges';
import { parseInstant } from '@/lib/time/instant';

// The hits filter model: URL search params ⇄ HitFilter (the SQL condition is hitFilterSql.ts). Client-safe: no
// Prisma, so the filter bar uses the same table of filters. Shared by the hits explorer, the overview, exports, and
// the bulk triage of a filter. The value sets live in hitValues.ts; re-exported here.
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

type ListValues = Pick<HitFilter, ListFilter['field']>;

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
/**
 * The list filters, one row each: URL key, HitFilter field, hit column (hitFilterSql), the value schema, labels for
 * the picker and the chip, and the fixed value set when there is one. Everything that handles list filters iterates
 * this table.
 */
export const LIST_FILTERS = [
  {
    key: 'country',
    field: 'countries',
    column: 'country',
    item: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^([a-z]{2}|-)$/, 'a two-letter country code or -'),
    label: 'Country',
    chip: 'Country',
    picker: true,
  },
  {
    key: 'process',
    field: 'processes',
    column: 'process_file_name',
    item: text(260),
    label: 'Process',
    chip: 'Process',
    picker: true,
  },
  {
    key: 'device',
    field: 'devices',
    column: 'device_id',
    item: text(200),
    label: 'Device',
    chip: 'Device',
    picker: false,
  },
  {
    key: 'action',
    field: 'actions',
    column: 'action_type',
    item: text(100),
    label: 'Action type',
    chip: 'Action',
    picker: true,
  },
  {
    key: 'direction',
    field: 'directions',
    column: 'direction',
    item: z.enum(DIRECTIONS),
    label: 'Direction',
    chip: 'Direction',
    picker: true,
    values: DIRECTIONS,
  },
  {
    key: 'confidence',
    field: 'confidences',
    column: 'confidence',
    item: z.enum(CONFIDENCES),
    label: 'Confidence',
    chip: 'Confidence',
    picker: true,
    values: CONFIDENCES,
  },
  {
    key: 'status',
    field: 'statuses',
    column: 'status',
    item: z.enum(STATUSES),
    label: 'Status',
    chip: 'Status',
    picker: true,
    values: STATUSES,
  },
] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

const flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();
const isoDate = z.string().refine((v) => parseInstant(v) !== null, 'not an ISO 8601 date');

const paramsSchema = z.object({
  ...(Object.fromEntries(LIST_FILTERS.map((f) => [f.key, many(f.item)])) as unknown as {
    [F in ListFilter as F['key']]: z.ZodDefault<z.ZodArray<F['item']>>;
  }),
  range: z.enum([...RANGE_PRESETS, 'custom']).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  tz: z.enum(['utc', 'local']).default('utc'),
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

const LIST_KEYS = new Set<string>(LIST_FILTERS.map((f) => f.key));

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
    ...(Object.fromEntries(LIST_FILTERS.map((f) => [f.field, p[f.key]])) as ListValues),
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
  for (const f of LIST_FILTERS) for (const value of filter[f.field]) params.append(f.key, value);
  if (filter.portMatch !== undefined) params.set('port', String(filter.portMatch));
  if (filter.exit !== undefined) params.set('exit', String(filter.exit));
  if (filter.relay) params.set('relay', filter.relay);
  if (filter.q) params.set('q', filter.q);
  return params;
}

/** Whether anything beyond the time range narrows the hits (for "clear filters" and empty-state wording). */
export function hasNarrowingFilter(filter: HitFilter): boolean {
  return Boolean(
    LIST_FILTERS.some((f) => filter[f.field].length) ||
    filter.portMatch !== undefined ||
    filter.exit !== undefined ||
    filter.relay ||
    filter.q,
  );
}
