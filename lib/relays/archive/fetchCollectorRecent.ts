import { getPool } from '@/lib/db/pool';
import { collectorGet, collectorText, DEFAULT_COLLECTOR_URL } from './collectorHttp';
import { importHistoryBatch, type HistoryImportSummary } from './importRelayHistory';

// The hourly fetch of CollecTor's recent/ (the last ~72 h as plain files): the directory listings are HTML index
// pages, from which the file names are read; consensus hours already stored are not downloaded again, nor exit
// lists older than the previous successful fetch. The new documents are imported as one batch, so intervals are
// hour-exact from the first day of an install.

export const COLLECTOR_FEED = 'collector-recent';
const CONSENSUS_FILE = /href="(?:[^"]*\/)?(\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-consensus)"/g;
const EXIT_LIST_FILE = /href="(?:[^"]*\/)?(\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})"/g;

/** The file names an HTML directory listing links to, matching the pattern. */
export function listedFiles(html: string, pattern: RegExp): string[] {
  return [...new Set([...html.matchAll(pattern)].map((match) => match[1]))].sort();
}

const fileTime = (name: string) => {
  const [y, mo, d, h, mi, s] = name.slice(0, 19).split('-');
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
};

export async function fetchCollectorRecent(baseUrl: string = DEFAULT_COLLECTOR_URL): Promise<HistoryImportSummary> {
  const base = baseUrl.replace(/\/+$/, '');
  const pool = getPool();
  const consensusDir = `${base}/recent/relay-descriptors/consensuses/`;
  const exitDir = `${base}/recent/exit-lists/`;
  const consensuses = listedFiles(await collectorText(consensusDir), CONSENSUS_FILE);
  const exitLists = await collectorText(exitDir).then(
    (html) => listedFiles(html, EXIT_LIST_FILE),
    () => [] as string[], // a mirror may serve consensuses only
  );
  const stored = new Set(
    (
      await pool.query<{ t: Date }>('SELECT valid_after AS t FROM relay_consensus WHERE valid_after >= $1', [
        consensuses.length ? fileTime(consensuses[0]) : new Date(),
      ])
    ).rows.map((row) => row.t.getTime()),
  );
  const lastSuccess = (
    await pool.query<{ at: Date | null }>('SELECT last_success_at AS at FROM relay_feed WHERE name = $1', [
      COLLECTOR_FEED,
    ])
  ).rows[0]?.at;
  const newConsensuses = consensuses.filter((name) => !stored.has(fileTime(name).getTime()));
  const newExitLists = exitLists.filter(
    (name) => !lastSuccess || fileTime(name).getTime() > lastSuccess.getTime() - 2 * 3_600_000,
  );
  const summary = await importHistoryBatch(
    `${base}/recent/`,
    async (batch) => {
      for (const name of newConsensuses) await batch.read(name, (await collectorGet(`${consensusDir}${name}`)).body);
      for (const name of newExitLists) await batch.read(name, (await collectorGet(`${exitDir}${name}`)).body);
    },
    {},
  );
  if (summary.status === 'failed' && summary.documents === 0) {
    // nothing new since the last fetch: not a failure
    return { ...summary, status: 'imported', reason: undefined };
  }
  return summary;
}
