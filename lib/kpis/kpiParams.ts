import { z } from 'zod';
import { parseHitFilter, type HitFilter } from '@/lib/hits/filters';
import { parseTimeZone } from '@/lib/time/zones';
import { KPI_BUCKETS, KPI_SPANS, type KpiBucket, type KpiSpan } from './definitions';

// Query string of the Trends and report pages: period (the hits filter's range: 7d|30d|90d|custom with from/to),
// bucket (week|month), months (3|6|12), zone (IANA). Every key is optional: /trends and /reports answer with no
// query string. Bad input throws an Error naming the field.

export interface KpiParams {
  filter: HitFilter;
  bucket: KpiBucket;
  months: KpiSpan;
  zone: string;
}

const schema = z.object({
  period: z.enum(['24h', '7d', '30d', '90d', 'custom']).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  bucket: z.enum(KPI_BUCKETS).default('week'),
  months: z
    .enum(KPI_SPANS.map(String) as ['3', '6', '12'])
    .default('6')
    .transform((v) => Number(v) as KpiSpan),
  zone: z.string().max(64).optional(),
});

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function parseKpiParams(
  params: Record<string, string | string[] | undefined>,
  now: Date = new Date(),
  defaultPeriod: '7d' | '30d' = '30d',
): KpiParams {
  const parsed = schema.safeParse({
    period: one(params.period),
    from: one(params.from),
    to: one(params.to),
    bucket: one(params.bucket),
    months: one(params.months),
    zone: one(params.zone),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue.path.join('.')}: ${issue.message}`);
  }
  const p = parsed.data;
  const range = p.period ?? defaultPeriod;
  const filter = parseHitFilter(
    Object.fromEntries(
      Object.entries({ range, from: p.from, to: p.to }).filter(([, v]) => v !== undefined) as Array<[string, string]>,
    ),
    now,
  );
  return { filter, bucket: p.bucket, months: p.months, zone: parseTimeZone(p.zone) };
}

/** The query string for these params (defaults left out), with overrides. */
export function kpiQuery(params: KpiParams, override: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  const r = params.filter.range;
  q.set('period', r.kind);
  if (r.kind === 'custom') {
    q.set('from', r.from.toISOString());
    q.set('to', r.to.toISOString());
  }
  q.set('bucket', params.bucket);
  q.set('months', String(params.months));
  q.set('zone', params.zone);
  for (const [k, v] of Object.entries(override)) q.set(k, v);
  if (override.period && override.period !== 'custom') {
    q.delete('from');
    q.delete('to');
  }
  return q.toString();
}
