import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { queryRows } from './hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';

const EVENT_ESTIMATE = Prisma.raw(`SELECT COALESCE(sum(c.reltuples) FILTER (WHERE c.reltuples > 0), 0)
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'network_event'::regclass`);

/** Up to this estimate the Overview shows the exact number of events. */
const EXACT_BELOW = 100_000;

export interface DataFreshness {
  relays: { observedAt: string; importedAt: string; feed: string; relayCount: number; ageHours: number } | null;
  lastMatchRun: {
    startedAt: string;
    finishedAt: string | null;
    status: string;
    mode: string;
    hitsNew: number;
    error: string | null;
    ageHours: number;
  } | null;
  events: number; // network events stored (an estimate for big tables)
  devices: number;
}

/** How current the relay data is, the last match run, and whether any telemetry exists at all. */
export async function getDataFreshness(actor: Actor): Promise<DataFreshness> {
  authoriseQuery(actor, 'viewer');
  // One round trip: the latest snapshot, the latest run and the sizes, as JSON from scalar subqueries.
  const [row] = await queryRows<{
    relay: Record<string, unknown> | null;
    run: Record<string, unknown> | null;
    events: number;
    devices: number;
  }>(Prisma.sql`
    SELECT (SELECT json_build_object('observedAt', s.observed_at, 'importedAt', s.imported_at, 'feed', f.name, 'relayCount', s.relay_count)
              FROM relay_snapshot s JOIN relay_feed f ON f.id = s.feed_id ORDER BY s.observed_at DESC LIMIT 1) AS relay,
           (SELECT json_build_object('startedAt', started_at, 'finishedAt', finished_at, 'status', status, 'mode', mode, 'hitsNew', hits_new, 'error', error)
              FROM match_run ORDER BY started_at DESC LIMIT 1) AS run,
           -- reltuples keeps this instant on millions of events; an exact count only when the table is small or unanalysed.
           -- network_event is partitioned by month (docs/architecture.md §4.6): the estimate is its partitions' sum.
           (${EVENT_ESTIMATE})::bigint::float8 AS events,
           (SELECT count(*) FROM device)::int AS devices`);
  // The exact count is a second statement, run only when it is cheap: even never executed, a count(*) over
  // network_event in this statement is planned and opened over every month partition (tens of ms on a year of
  // history, growing with it — bench:history).
  if (!(row.events > EXACT_BELOW)) {
    const [exact] = await queryRows<{ events: number }>(
      Prisma.sql`SELECT count(*)::float8 AS events FROM network_event`,
    );
    row.events = exact.events;
  }
  const relays = row.relay ? [row.relay as unknown as Omit<NonNullable<DataFreshness['relays']>, 'ageHours'>] : [];
  const runs = row.run ? [row.run as unknown as Omit<NonNullable<DataFreshness['lastMatchRun']>, 'ageHours'>] : [];
  const counts = [{ events: row.events, devices: row.devices }];
  const ageHours = (d: unknown) => (Date.now() - new Date(d as string).getTime()) / 3_600_000;
  const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
  const relay = relays[0];
  const run = runs[0];
  return {
    relays: relay
      ? {
          ...relay,
          observedAt: iso(relay.observedAt)!,
          importedAt: iso(relay.importedAt)!,
          ageHours: ageHours(relay.observedAt),
        }
      : null,
    lastMatchRun: run
      ? {
          ...run,
          startedAt: iso(run.startedAt)!,
          finishedAt: iso(run.finishedAt),
          ageHours: ageHours(run.finishedAt ?? run.startedAt),
        }
      : null,
    events: Number(counts[0]?.events ?? 0),
    devices: counts[0]?.devices ?? 0,
  };
}
