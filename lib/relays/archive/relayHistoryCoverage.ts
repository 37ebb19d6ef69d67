import { getPool } from '@/lib/db/pool';

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
  const [events, history, complete] = await Promise.all([
    pool.query<{ min: Date | null; max: Date | null }>('SELECT min(ts), max(ts) FROM network_event'),
    pool.query<{ min: Date | null; max: Date | null }>(
      'SELECT min(valid_after), max(valid_after) FROM relay_consensus',
    ),
    pool.query<{ month: string }>(`SELECT month FROM relay_archive_month WHERE kind = 'consensuses'`),
  ]);
  const { min: telemetryFrom, max: telemetryTo } = events.rows[0];
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
