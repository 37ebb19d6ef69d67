import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { serialiseHitFilter } from '@/lib/hits/filters';
import { getHitBreakdown } from '@/lib/queries/getHitBreakdown';
import { getKpiReport, type KpiReport } from '@/lib/queries/getKpiReport';
import type { KpiParams } from './kpiParams';

// What the Trends and report pages show, loaded the same way for both (issue 17).
export interface TrendsData {
  report: KpiReport;
  countries: Array<{ country: string; hits: number; devices: number }>;
  hitsQuery: string; // the hits filter of the period, for links to /hits
}

export async function loadTrends(actor: Actor, params: KpiParams): Promise<TrendsData> {
  const [report, countries] = await Promise.all([
    getKpiReport(actor, params),
    getHitBreakdown(actor, params.filter, 'country', 300),
  ]);
  return {
    report,
    countries: countries.entries.map((e) => ({ country: e.key, hits: e.hits, devices: e.devices })),
    hitsQuery: serialiseHitFilter(params.filter).toString(),
  };
}
