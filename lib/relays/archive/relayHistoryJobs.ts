import { env } from '@/lib/env';
import type { JobHandler } from '@/lib/jobs/jobHandler';
import { backfillRelayHistory, collectorBaseUrl } from './backfillRelayHistory';
import { fetchCollectorRecent } from './fetchCollectorRecent';
import { relayHistoryCoverage } from './relayHistoryCoverage';

// Worker jobs of relay history. TORWATCH_OFFLINE=1 turns both off (no request to CollecTor): import archives with
// `torwatch relays import` instead.

const offline = () => env('TORWATCH_OFFLINE');

/** relays-fetch-collector-recent: CollecTor recent/, hourly. */
export const collectorRecentJob: JobHandler = async () => {
  if (offline()) return { status: 'offline' };
  const summary = await fetchCollectorRecent(await collectorBaseUrl());
  if (summary.status === 'failed') throw new Error(summary.reason);
  return {
    status: 'ok',
    consensuses: summary.consensuses,
    exitLists: summary.exitLists,
    added: summary.intervalsAdded,
  };
};

/**
 * relays-history-backfill: the archive months the telemetry spans and the history lacks. Data `{from, to}` (an
 * admin's button) backfills that range instead.
 */
export const relayHistoryBackfillJob: JobHandler = async (data) => {
  if (offline()) return { status: 'offline' };
  let months: Array<[string, string]>;
  if (typeof data.from === 'string' && typeof data.to === 'string') months = [[data.from, data.to]];
  else months = (await relayHistoryCoverage()).missingMonths.map((month) => [month, month]);
  const failed: string[] = [];
  for (const [from, to] of months) {
    const outcomes = await backfillRelayHistory({ from, to });
    failed.push(...outcomes.filter((o) => o.status === 'failed').map((o) => o.reason ?? o.url));
  }
  if (failed.length)
    throw new Error(`relay history backfill: ${failed.length} archive(s) failed (first: ${failed[0]})`);
  return { status: 'ok', months: months.map(([from]) => from) };
};
