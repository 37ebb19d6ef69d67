// The managers' KPIs (issue 17): keys, labels, units and which direction is good. Pure, so client components (KPI
// cards, sparklines, chart export) and the server-side renderers (report PDF, e-mail) share one vocabulary. The
// numbers come from one read model, lib/queries/getKpiReport.ts (docs/architecture.md §8.1), so every surface agrees.

export const KPI_KEYS = [
  'devices',
  'newDevices',
  'hits',
  'hitsHigh',
  'hitsMedium',
  'hitsLow',
  'exitShare',
  'procTorBrowser',
  'procTorDaemon',
  'procOtherBrowser',
  'procOther',
  'open',
  'triaged',
  'meanTimeToTriageHours',
  'truePositiveRate',
  'episodes',
  'newEpisodes',
  'openEpisodes',
] as const;
export type KpiKey = (typeof KPI_KEYS)[number];
export type KpiUnit = 'count' | 'percent' | 'hours';

export interface KpiDefinition {
  key: KpiKey;
  label: string;
  unit: KpiUnit;
  /** Which way is good news for a security leader; 'neutral' when it depends. */
  better: 'lower' | 'higher' | 'neutral';
  help: string;
}

export const KPI_DEFINITIONS: Record<KpiKey, KpiDefinition> = {
  devices: {
    key: 'devices',
    label: 'Devices with Tor contact',
    unit: 'count',
    better: 'lower',
    help: 'Distinct devices with at least one hit in the period.',
  },
  newDevices: {
    key: 'newDevices',
    label: 'Devices new to Tor',
    unit: 'count',
    better: 'lower',
    help: 'Devices whose first hit ever falls in the period.',
  },
  hits: { key: 'hits', label: 'Hits', unit: 'count', better: 'lower', help: 'Connections to or from Tor relays.' },
  hitsHigh: {
    key: 'hitsHigh',
    label: 'High-confidence hits',
    unit: 'count',
    better: 'lower',
    help: 'Confidence high.',
  },
  hitsMedium: {
    key: 'hitsMedium',
    label: 'Medium-confidence hits',
    unit: 'count',
    better: 'lower',
    help: 'Confidence medium.',
  },
  hitsLow: { key: 'hitsLow', label: 'Low-confidence hits', unit: 'count', better: 'lower', help: 'Confidence low.' },
  exitShare: {
    key: 'exitShare',
    label: 'Share to exit relays',
    unit: 'percent',
    better: 'neutral',
    help: 'Hits whose relay address was an exit, as a share of all hits (the rest went to guard/middle relays).',
  },
  procTorBrowser: {
    key: 'procTorBrowser',
    label: 'Tor Browser',
    unit: 'count',
    better: 'lower',
    help: 'Hits from processes in a Tor Browser folder.',
  },
  procTorDaemon: {
    key: 'procTorDaemon',
    label: 'tor daemon',
    unit: 'count',
    better: 'lower',
    help: 'Hits from a stand-alone tor / tor.exe.',
  },
  procOtherBrowser: {
    key: 'procOtherBrowser',
    label: 'Other browsers',
    unit: 'count',
    better: 'lower',
    help: 'Hits from Chrome, Edge, Firefox, Brave, Opera, Safari and the like (outside a Tor Browser folder).',
  },
  procOther: {
    key: 'procOther',
    label: 'Other processes',
    unit: 'count',
    better: 'lower',
    help: 'Everything else — the worrying class: malware and tunnels speak Tor without a browser.',
  },
  open: { key: 'open', label: 'Open hits', unit: 'count', better: 'lower', help: 'Status new or investigating.' },
  triaged: {
    key: 'triaged',
    label: 'Triaged hits',
    unit: 'count',
    better: 'higher',
    help: 'Status true positive or benign.',
  },
  meanTimeToTriageHours: {
    key: 'meanTimeToTriageHours',
    label: 'Mean time to triage',
    unit: 'hours',
    better: 'lower',
    help: 'Mean time from a hit being found to its triage decision, over the hits triaged so far.',
  },
  truePositiveRate: {
    key: 'truePositiveRate',
    label: 'True-positive rate',
    unit: 'percent',
    better: 'neutral',
    help: 'True positives as a share of triaged hits.',
  },
  // Episodes (issue 18): one device and process over a stretch of time, the unit an analyst decides on.
  episodes: {
    key: 'episodes',
    label: 'Episodes',
    unit: 'count',
    better: 'lower',
    help: 'Episodes (one device and process, its hits at most a day apart) active in the period: begun before its end, last seen after its start.',
  },
  newEpisodes: {
    key: 'newEpisodes',
    label: 'Episodes begun',
    unit: 'count',
    better: 'lower',
    help: 'Episodes whose first hit falls in the period: the new decisions it brought.',
  },
  openEpisodes: {
    key: 'openEpisodes',
    label: 'Open episodes',
    unit: 'count',
    better: 'lower',
    help: 'Episodes active in the period with a hit still new or investigating.',
  },
};

/** The KPI groups as the Trends page, the report and the e-mail lay them out. */
export const KPI_SECTIONS: Array<{ title: string; keys: KpiKey[] }> = [
  { title: 'Reach', keys: ['devices', 'newDevices', 'hits'] },
  { title: 'Confidence', keys: ['hitsHigh', 'hitsMedium', 'hitsLow'] },
  { title: 'Where it goes', keys: ['exitShare'] },
  { title: 'Which processes', keys: ['procTorBrowser', 'procTorDaemon', 'procOtherBrowser', 'procOther'] },
  { title: 'Are we handling it', keys: ['open', 'triaged', 'meanTimeToTriageHours', 'truePositiveRate'] },
  { title: 'Episodes', keys: ['episodes', 'newEpisodes', 'openEpisodes'] },
];

/** The headline KPIs shown on the Overview and at the top of the report. */
export const HEADLINE_KPIS: KpiKey[] = [
  'devices',
  'newDevices',
  'hits',
  'procOther',
  'open',
  'meanTimeToTriageHours',
  'newEpisodes',
  'openEpisodes',
];

export const KPI_BUCKETS = ['week', 'month'] as const;
export type KpiBucket = (typeof KPI_BUCKETS)[number];
export const KPI_SPANS = [3, 6, 12] as const;
export type KpiSpan = (typeof KPI_SPANS)[number];

/** A figure for people: 1,234 · 12.5 % · 3.2 h · "–" for no value (e.g. no hit triaged yet). */
export function formatKpi(value: number | null, unit: KpiUnit): string {
  if (value === null || Number.isNaN(value)) return '–';
  if (unit === 'percent') return `${value.toFixed(1)} %`;
  if (unit === 'hours') return value >= 48 ? `${(value / 24).toFixed(1)} d` : `${value.toFixed(1)} h`;
  return value.toLocaleString('en-US');
}

export interface KpiChange {
  text: string; // "+12 %", "−3.0 pt", "new", "±0"
  direction: 'up' | 'down' | 'flat';
  tone: 'good' | 'bad' | 'neutral';
}

/** Change against the previous period: relative for counts and hours, percentage points for shares. */
export function kpiChange(current: number | null, previous: number | null, definition: KpiDefinition): KpiChange {
  if (current === null || previous === null) return { text: 'no comparison', direction: 'flat', tone: 'neutral' };
  const diff = current - previous;
  const direction = Math.abs(diff) < 1e-9 ? 'flat' : diff > 0 ? 'up' : 'down';
  const tone =
    direction === 'flat' || definition.better === 'neutral'
      ? 'neutral'
      : (direction === 'up') === (definition.better === 'higher')
        ? 'good'
        : 'bad';
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '±';
  if (direction === 'flat') return { text: '±0', direction, tone };
  if (definition.unit === 'percent') return { text: `${sign}${Math.abs(diff).toFixed(1)} pt`, direction, tone };
  if (previous === 0) return { text: 'new', direction, tone };
  return { text: `${sign}${Math.round((Math.abs(diff) / previous) * 100)} %`, direction, tone };
}
