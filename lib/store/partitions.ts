import type pg from 'pg';

// Month partitions of network_event (docs/architecture.md §4.6): network_event_yYYYYmMM holds [first of the month,
// first of the next month) in UTC. The SQL function ensure_event_partitions (migration 20261130190000) creates and
// attaches the missing ones; ingest calls it for the months a batch needs, the worker for the months ahead.

/** The partition that holds time `at`: `network_event_y2019m04`. */
export function partitionName(at: Date): string {
  return `network_event_y${at.getUTCFullYear()}m${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The first instant (UTC) of every month from `from`'s month to `to`'s, both included. */
export function monthsBetween(from: Date, to: Date): Date[] {
  const months: Date[] = [];
  let y = from.getUTCFullYear();
  let m = from.getUTCMonth();
  const endKey = to.getUTCFullYear() * 12 + to.getUTCMonth();
  while (y * 12 + m <= endKey) {
    months.push(new Date(Date.UTC(y, m, 1)));
    if (++m === 12) {
      m = 0;
      y++;
    }
  }
  return months;
}

/**
 * Makes sure every month from `from` to `to` (inclusive) has its partition; returns how many were created. Inside a
 * transaction the new partitions commit with it; attaching locks network_event SHARE UPDATE EXCLUSIVE (reads and
 * writes go on; another attach waits).
 */
export async function ensureMonthPartitions(db: pg.ClientBase | pg.Pool, from: Date, to: Date): Promise<number> {
  const months = monthsBetween(from, to);
  if (months.length === 0) return 0;
  const { rows } = await db.query<{ created: number }>('SELECT ensure_event_partitions($1::timestamptz[]) AS created', [
    months.map((m) => m.toISOString()),
  ]);
  return rows[0].created;
}

/** The month partitions that exist, oldest first, with their first instant. */
export async function listMonthPartitions(db: pg.ClientBase | pg.Pool): Promise<{ name: string; from: Date }[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'network_event'::regclass ORDER BY c.relname`,
  );
  return rows
    .map((r) => {
      const match = /^network_event_y(\d{4})m(\d{2})$/.exec(r.name);
      return match ? { name: r.name, from: new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)) } : null;
    })
    .filter((p): p is { name: string; from: Date } => p !== null);
}
