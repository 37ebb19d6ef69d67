'use client';

import Link from 'next/link';
import { useSyncExternalStore } from 'react';
import { browserTimeZone } from '@/lib/time/zones';

const subscribe = () => () => {};

/** "Use my time zone (Europe/Berlin)": the browser's IANA zone, so buckets are cut where the viewer lives. */
export function MyZoneLink({ path, query, current }: { path: string; query: string; current: string }) {
  const zone = useSyncExternalStore(subscribe, browserTimeZone, () => null);
  if (!zone || zone === current) return null;
  const params = new URLSearchParams(query);
  params.set('zone', zone);
  return (
    <Link href={`${path}?${params}`} className="text-sm text-violet-700 underline dark:text-violet-400">
      Use my time zone ({zone})
    </Link>
  );
}
