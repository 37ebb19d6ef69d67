import { getPool } from '@/lib/db/pool';
import { listMonthPartitions, type MonthPartition } from '@/lib/retention/monthPartitions';
import type { Pool } from 'pg';

// What period the relay history covers against what the telemetry covers (Overview), and which archive months the
// telemetry needs that are not complete yet (the automatic backfill).

export interface RelayHistoryCoverage {
  telemetryFrom: string | null; // ISO, the oldest network event
  telemetryTo: string | null;
  historyFrom: string | null; // ISO, the oldest consensus hour stored
  historyTo: string | null;
  missingMonths: string[]; // YYYY-MM the telemetry spans whose consensus archive is not complete (current month excluded)
}

export async function relayHistoryCoverage(now = new Date()): Promise<RelayHistoryCoverage> {
  const pool = getPool();
  const [events, partitions, history, complete] = await Promise.all([
    // The devices' spans, not min/max(ts): network_event has no b-tree on time (docs/architecture.md §4.6), and every
    // writer widens the spans over what it stores. No partition holding an event: no telemetry (storedMonths).
    pool.query<{ min: Date | null; max: Date | null }>(`SELECT min(first_seen), max(last_seen) FROM device`),
    listMonthPartitions(pool, 'network_event'),
    pool.query<{ min: Date | null; max: Date | null }>(
      'SELECT min(valid_after), max(valid_after) FROM relay_consensus',
    ),
    pool.query<{ month: string }>(`SELECT month FROM relay_archive_month WHERE kind = 'consensuses'`),
  ]);
  // Clamped to the month partitions that hold events: retention drops months without narrowing the devices' spans,
  // and the worker makes months ahead (empty).
  const { min: spanFrom, max: spanTo } = events.rows[0];
  const stored = spanFrom && spanTo ? await storedMonths(pool, partitions) : null;
  const telemetryFrom = spanFrom && stored ? new Date(Math.max(spanFrom.getTime(), stored.from.getTime())) : null;
  const telemetryTo = spanTo && stored ? new Date(Math.min(spanTo.getTime(), stored.to.getTime() - 1)) : null;
  const done = new Set(complete.rows.map((row) => row.month));
  const missingMonths: string[] = [];
  if (telemetryFrom && telemetryTo) {
    const thisMonth = now.toISOString().slice(0, 7);
    const cursor = new Date(Date.UTC(telemetryFrom.getUTCFullYear(), telemetryFrom.getUTCMonth(), 1));
    while (cursor <= telemetryTo && missingMonths.length < 240) {
      const month = cursor.toISOString().slice(0, 7);
      if (month < thisMonth && !done.has(month)) missingMonths.push(month);
      cursor.setUTCMonth(cursor.getUTCMonth() + 1);
    }
  }
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    telemetryFrom: iso(telemetryFrom),
    telemetryTo: iso(telemetryTo),
    historyFrom: iso(history.rows[0].min),
    historyTo: iso(history.rows[0].max),
    missingMonths,
  };
}

/** The first and last month partitions that hold an event (one row read from each partition tried). */
async function storedMonths(pool: Pool, partitions: MonthPartition[]): Promise<{ from: Date; to: Date } | null> {
  const holdsEvents = async (p: MonthPartition) =>
    ((await pool.query(`SELECT 1 FROM ONLY "${p.name}" LIMIT 1`)).rowCount ?? 0) > 0;
  const first = await firstWhere(partitions, holdsEvents);
  if (!first) return null;
  const last = await firstWhere([...partitions].reverse(), async (p) => p === first || (await holdsEvents(p)));
  return { from: first.from, to: (last ?? first).to };
}

async function firstWhere<T>(items: T[], test: (item: T) => Promise<boolean>): Promise<T | undefined> {
  for (const item of items) if (await test(item)) return item;
  return undefined;
}
