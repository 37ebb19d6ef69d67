import { getPool } from '@/lib/db/pool';
import { sendJob } from '@/lib/jobs/sendJob';
import { collectorGet, CollectorHttpError, DEFAULT_COLLECTOR_URL } from './collectorHttp';
import { importHistoryStream, type HistoryImportSummary } from './importRelayHistory';

// `relays backfill`: the monthly consensus and exit-list archives of a range of months, from CollecTor's layout
// under a base URL (the Tor Project's, or a mirror's: only archive/ is needed). Each archive streams from the
// network through the xz decoder into the importer; a month whose archive imported completely is recorded in
// relay_archive_month and skipped next time (resumable). The current month is imported but not recorded: its
// archive still grows. One retro match is queued at the end for what the new intervals cover.

export type ArchiveKind = 'consensuses' | 'exit-lists';
export const ARCHIVE_KINDS: ArchiveKind[] = ['consensuses', 'exit-lists'];

export interface MonthOutcome {
  kind: ArchiveKind;
  month: string;
  url: string;
  status: 'skipped' | 'imported' | 'failed';
  reason?: string;
  summary?: HistoryImportSummary;
}

export interface BackfillOptions {
  from: string; // YYYY-MM
  to: string;
  baseUrl?: string;
  onArchiveStart?: (url: string, length: number | null) => void;
  onProgress?: (bytes: number) => void;
  onOutcome?: (outcome: MonthOutcome) => void;
  queueMatch?: boolean;
}

export function archiveUrl(baseUrl: string, kind: ArchiveKind, month: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return kind === 'consensuses'
    ? `${base}/archive/relay-descriptors/consensuses/consensuses-${month}.tar.xz`
    : `${base}/archive/exit-lists/exit-list-${month}.tar.xz`;
}

/** The months from..to inclusive, as YYYY-MM. */
export function monthRange(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number);
  const [endYear, endMonth] = to.split('-').map(Number);
  while (year < endYear || (year === endYear && month <= endMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return months;
}

/** The CollecTor base URL: the admin's mirror (relay_feed 'collector-recent'), else the Tor Project's. */
export async function collectorBaseUrl(): Promise<string> {
  const { rows } = await getPool().query<{ url: string | null }>(
    `SELECT url FROM relay_feed WHERE name = 'collector-recent'`,
  );
  return rows[0]?.url ?? DEFAULT_COLLECTOR_URL;
}

export async function backfillRelayHistory(options: BackfillOptions): Promise<MonthOutcome[]> {
  const baseUrl = options.baseUrl ?? (await collectorBaseUrl());
  const done = new Set(
    (await getPool().query<{ key: string }>(`SELECT kind || ' ' || month AS key FROM relay_archive_month`)).rows.map(
      (row) => row.key,
    ),
  );
  const outcomes: MonthOutcome[] = [];
  let changed = false;
  const thisMonth = new Date().toISOString().slice(0, 7);
  for (const month of monthRange(options.from, options.to)) {
    for (const kind of ARCHIVE_KINDS) {
      const url = archiveUrl(baseUrl, kind, month);
      let outcome: MonthOutcome;
      if (done.has(`${kind} ${month}`)) {
        outcome = { kind, month, url, status: 'skipped', reason: 'already complete' };
      } else {
        outcome = await importMonth(kind, month, url, options, month < thisMonth);
        if (
          outcome.summary &&
          outcome.summary.intervalsAdded + outcome.summary.intervalsExtended + outcome.summary.intervalsRemoved > 0
        )
          changed = true;
      }
      outcomes.push(outcome);
      options.onOutcome?.(outcome);
    }
  }
  if (changed && options.queueMatch !== false) {
    await sendJob('match', { mode: 'retro', trigger: 'relay-backfill' }).catch(() => {});
  }
  return outcomes;
}

async function importMonth(
  kind: ArchiveKind,
  month: string,
  url: string,
  options: BackfillOptions,
  monthEnded: boolean,
): Promise<MonthOutcome> {
  let download;
  try {
    download = await collectorGet(url);
  } catch (error) {
    if (!(error instanceof CollectorHttpError)) throw error;
    const reason =
      error.status === 404
        ? `${url}: not found (HTTP 404): CollecTor has no ${kind} archive for ${month}`
        : error.message;
    return { kind, month, url, status: 'failed', reason };
  }
  options.onArchiveStart?.(url, download.length);
  const summary = await importHistoryStream(url, download.body, 'xz', {
    onProgress: options.onProgress,
    queueMatch: false,
  });
  if (summary.status === 'failed') return { kind, month, url, status: 'failed', reason: summary.reason, summary };
  if (monthEnded) {
    await getPool().query(
      `INSERT INTO relay_archive_month (kind, month, source, documents) VALUES ($1, $2, $3, $4)
       ON CONFLICT (kind, month) DO UPDATE SET source = EXCLUDED.source, documents = EXCLUDED.documents, completed_at = now()`,
      [kind, month, url, summary.documents],
    );
  }
  return { kind, month, url, status: 'imported', summary };
}
