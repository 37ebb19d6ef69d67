import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { queryRows } from './hitRowSql';
import { authoriseQuery } from './queryActor';

export interface DataFreshness {
  relays: { observedAt: string; importedAt: string; feed: string; relayCount: number } | null;
  lastMatchRun: { startedAt: string; finishedAt: string | null; status: string; mode: string; hitsNew: number; error: string | null } | null;
  events: number; // network events stored (an estimate for big tables)
  devices: number;
}

/** How current the relay data is, the last match run, and whether any telemetry exists at all. */
export async function getDataFreshness(actor: Actor): Promise<DataFreshness> {
  authoriseQuery(actor, 'viewer');
  const [relays, runs, counts] = await Promise.all([
    queryRows<NonNullable<DataFreshness['relays']>>(Prisma.sql`
      SELECT s.observed_at AS "observedAt", s.imported_at AS "importedAt", f.name AS feed, s.relay_count AS "relayCount"
      FROM relay_snapshot s JOIN relay_feed f ON f.id = s.feed_id ORDER BY s.observed_at DESC LIMIT 1`),
    queryRows<NonNullable<DataFreshness['lastMatchRun']>>(Prisma.sql`
      SELECT started_at AS "startedAt", finished_at AS "finishedAt", status, mode, hits_new AS "hitsNew", error
      FROM match_run ORDER BY started_at DESC LIMIT 1`),
    // reltuples keeps this instant on millions of events; an exact count only when the table is small or unanalysed.
    queryRows<{ events: number; devices: number }>(Prisma.sql`
      SELECT CASE WHEN (SELECT reltuples FROM pg_class WHERE relname = 'network_event') > 100000
                  THEN (SELECT reltuples FROM pg_class WHERE relname = 'network_event')::bigint
                  ELSE (SELECT count(*) FROM network_event) END::float8 AS events,
             (SELECT count(*) FROM device)::int AS devices`),
  ]);
  const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : (d as string | null));
  const relay = relays[0];
  const run = runs[0];
  return {
    relays: relay ? { ...relay, observedAt: iso(relay.observedAt)!, importedAt: iso(relay.importedAt)! } : null,
    lastMatchRun: run ? { ...run, startedAt: iso(run.startedAt)!, finishedAt: iso(run.finishedAt) } : null,
    events: Number(counts[0]?.events ?? 0),
    devices: counts[0]?.devices ?? 0,
  };
}
