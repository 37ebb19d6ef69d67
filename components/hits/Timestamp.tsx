'use client';

import { useSyncExternalStore } from 'react';
import { formatTimestamp, type TimeZoneMode } from '@/lib/time/ranges';

const subscribe = () => () => {};

/** An ISO time shown in UTC, or in the browser's zone once hydrated (the server cannot know it). */
export function Timestamp({ iso, tz }: { iso: string; tz: TimeZoneMode }) {
  const hydrated = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const date = new Date(iso);
  const text = formatTimestamp(date, tz === 'local' && hydrated ? 'local' : 'utc');
  return (
    <time dateTime={iso} title={iso} className="whitespace-nowrap tabular-nums">
      {text}
    </time>
  );
}
