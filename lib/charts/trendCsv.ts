import { formatZonedBucket } from '@/lib/time/zones';
import type { Bucket } from '@/lib/time/ranges';
import { chartCsv } from './svgChart';

/** The CSV behind a hits trend chart (Overview, device page): one row per bucket labelled in its zone, as drawn. */
export function trendCsv(
  points: Array<{ bucket: string; hits: number; devices: number }>,
  bucket: Bucket,
  zone: string,
): string {
  return chartCsv(
    `${bucket} starting (${zone})`,
    points.map((p) => formatZonedBucket(new Date(p.bucket), bucket, zone)),
    [
      { name: 'Hits', values: points.map((p) => p.hits) },
      { name: 'Distinct devices', values: points.map((p) => p.devices) },
    ],
  );
}
