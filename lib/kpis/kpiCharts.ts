import { chartCsv, seriesChartSvg, type ChartSeries } from '@/lib/charts/svgChart';
import { CONFIDENCE_COLOURS, OKABE_ITO } from '@/components/charts/palette';
import { formatZonedBucket, shortZonedBucket } from '@/lib/time/zones';
import type { KpiBucket, KpiKey, KpiSpan } from './definitions';

// The Trends charts, defined once from the KPI report: the Trends page, the report page, the e-mail's PNGs and the
// PDF all draw exactly these (issue 17).

/** The part of a KpiReport the charts need (a plain DTO, so client components can take it as a prop). */
export interface KpiSeriesInput {
  zone: string;
  bucket: KpiBucket;
  months: KpiSpan;
  buckets: string[];
  kpis: Record<KpiKey, { series: Array<number | null> }>;
}

export interface KpiChart {
  id: string;
  title: string;
  svg: string;
  csv: string;
  description: string;
}

export function bucketNote(input: Pick<KpiSeriesInput, 'zone' | 'bucket' | 'months'>): string {
  const unit = input.bucket === 'week' ? 'Weeks from Monday 00:00' : 'Months from the 1st, 00:00';
  return `${unit}, time zone ${input.zone} · last ${input.months} months · the last bucket runs to now`;
}

export function kpiCharts(input: KpiSeriesInput, size: { width?: number; height?: number } = {}): KpiChart[] {
  const labels = input.buckets.map((b) => formatZonedBucket(new Date(b), input.bucket, input.zone));
  const axisLabels = input.buckets.map((b) => shortZonedBucket(new Date(b), input.bucket, input.zone));
  const note = bucketNote(input);
  const s = (key: KpiKey, name: string, colour: string, kind: 'bar' | 'line'): ChartSeries => ({
    name,
    colour,
    kind,
    values: input.kpis[key].series,
  });
  const defs: Array<{
    id: string;
    title: string;
    description: string;
    series: ChartSeries[];
    stacked?: boolean;
    unit?: string;
  }> = [
    {
      id: 'reach',
      title: 'Devices with Tor contact',
      description: 'Distinct devices with a hit, and devices whose first hit ever falls in the bucket.',
      series: [s('devices', 'Devices', OKABE_ITO.blue, 'bar'), s('newDevices', 'New to Tor', OKABE_ITO.orange, 'line')],
    },
    {
      id: 'confidence',
      title: 'Hits by confidence',
      description: 'Hits per bucket, stacked by match confidence.',
      stacked: true,
      series: [
        s('hitsHigh', 'High', CONFIDENCE_COLOURS.high, 'bar'),
        s('hitsMedium', 'Medium', CONFIDENCE_COLOURS.medium, 'bar'),
        s('hitsLow', 'Low', CONFIDENCE_COLOURS.low, 'bar'),
      ],
    },
    {
      id: 'processes',
      title: 'Hits by process group',
      description: '"Other processes" is the worrying class: Tor spoken by something that is not a browser.',
      stacked: true,
      series: [
        s('procTorBrowser', 'Tor Browser', OKABE_ITO.blue, 'bar'),
        s('procTorDaemon', 'tor daemon', OKABE_ITO.skyBlue, 'bar'),
        s('procOtherBrowser', 'Other browsers', OKABE_ITO.green, 'bar'),
        s('procOther', 'Other processes', OKABE_ITO.vermillion, 'bar'),
      ],
    },
    {
      id: 'exit-share',
      title: 'Share of hits to exit relays',
      description: 'Hits to an exit relay address as a share of all hits (the rest went to guard or middle relays).',
      unit: '%',
      series: [s('exitShare', 'Exit share', OKABE_ITO.purple, 'line')],
    },
    {
      id: 'triage',
      title: 'Open vs triaged',
      description: 'Hits of the bucket still open (new, investigating) and triaged (true positive, benign).',
      stacked: true,
      series: [s('open', 'Open', OKABE_ITO.orange, 'bar'), s('triaged', 'Triaged', OKABE_ITO.green, 'bar')],
    },
    {
      id: 'triage-time',
      title: 'Mean time to triage',
      description: 'Hours from a hit being found to its triage decision, for the bucket\u2019s triaged hits.',
      unit: ' h',
      series: [s('meanTimeToTriageHours', 'Mean time to triage', OKABE_ITO.blue, 'line')],
    },
    {
      id: 'episodes',
      title: `Episodes begun per ${input.bucket}`,
      description:
        'Episodes (one device and process, its hits at most a day apart) begun in the bucket, active in it, and of those still open.',
      series: [
        s('newEpisodes', 'Begun', OKABE_ITO.blue, 'bar'),
        s('episodes', 'Active', OKABE_ITO.green, 'line'),
        s('openEpisodes', 'Open', OKABE_ITO.orange, 'line'),
      ],
    },
    {
      id: 'true-positive',
      title: 'True-positive rate',
      description: 'True positives as a share of the bucket\u2019s triaged hits.',
      unit: '%',
      series: [s('truePositiveRate', 'True-positive rate', OKABE_ITO.vermillion, 'line')],
    },
  ];
  const bucketHeader = `${input.bucket} starting (${input.zone})`;
  return defs.map((d) => ({
    id: d.id,
    title: d.title,
    description: d.description,
    svg: seriesChartSvg({
      title: d.title,
      labels,
      axisLabels,
      series: d.series,
      stacked: d.stacked,
      unit: d.unit,
      note,
      ...size,
    }),
    csv: chartCsv(bucketHeader, labels, d.series),
  }));
}
