import { readFile, stat } from 'node:fs/promises';
import type { HistoryImportSummary } from '@/lib/relays/archive/importRelayHistory';
import { describeHistoryImport } from '@/lib/relays/archive/describeHistoryImport';
import { CommandError } from './errors';
import { ProgressBar } from './progressBar';

// `torwatch relays import` of relay history (CollecTor consensuses and exit lists: .tar.xz, .tar, a directory, or a
// single document starting with a consensus @type line). Other documents keep the snapshot import path.

const REJECTS_SHOWN = 20;

/** True when the path is relay history rather than a relay list snapshot. */
export async function isRelayHistory(source: string): Promise<boolean> {
  if (/^https?:\/\//i.test(source)) return false;
  const info = await stat(source).catch(() => null);
  if (!info) return false;
  if (info.isDirectory()) return true;
  const { sniffFile } = await import('@/lib/relays/archive/importRelayHistory');
  const kind = await sniffFile(source);
  if (kind !== 'document') return true;
  const head = (await readFile(source)).subarray(0, 200).toString('latin1');
  return /^@type network-status-(microdesc-)?consensus-3 /.test(head);
}

export async function importHistoryCommand(source: string): Promise<number> {
  const { importHistoryPath } = await import('@/lib/relays/archive/importRelayHistory');
  const info = await stat(source);
  const bar = process.stderr.isTTY && info.isFile() ? new ProgressBar(process.stderr, source, info.size) : null;
  const summaries = await importHistoryPath(source, { onProgress: bar ? (bytes) => bar.update(bytes, 0) : undefined });
  bar?.clear();
  let failed = 0;
  for (const summary of summaries) {
    printProblems(summary);
    if (summary.status === 'failed') {
      failed++;
      console.error(summary.reason);
    } else {
      console.log(describeHistoryImport(summary));
    }
  }
  if (failed) throw new CommandError(`${failed} of ${summaries.length} archive(s) not imported`);
  return 0;
}

export function printProblems(summary: HistoryImportSummary): void {
  for (const problem of summary.broken.slice(0, REJECTS_SHOWN))
    console.error(`${summary.source}:${problem.document}: refused: ${problem.reason}`);
  for (const reject of summary.rejects.slice(0, REJECTS_SHOWN))
    console.error(`${summary.source}:${reject.document}:${reject.line ?? '-'}: ${reject.field}: ${reject.reason}`);
  if (summary.rejected > REJECTS_SHOWN)
    console.error(`${summary.source}: … ${summary.rejected - REJECTS_SHOWN} more rejected lines`);
}

/** `torwatch relays backfill --from YYYY-MM --to YYYY-MM [--collector-url URL]`. */
export async function backfillCommand(from: string, to: string, collectorUrl: string | undefined): Promise<number> {
  const { backfillRelayHistory } = await import('@/lib/relays/archive/backfillRelayHistory');
  let bar: ProgressBar | null = null;
  const outcomes = await backfillRelayHistory({
    from,
    to,
    baseUrl: collectorUrl,
    onArchiveStart: (url, length) => {
      bar = process.stderr.isTTY ? new ProgressBar(process.stderr, url.replace(/^.*\//, ''), length ?? 0) : null;
    },
    onProgress: (bytes) => bar?.update(bytes, 0),
    onOutcome: (outcome) => {
      bar?.clear();
      bar = null;
      if (outcome.summary) printProblems(outcome.summary);
      if (outcome.status === 'skipped') console.log(`${outcome.url}: skipped (${outcome.reason})`);
      else if (outcome.status === 'failed') console.error(outcome.reason);
      else console.log(describeHistoryImport(outcome.summary!));
    },
  });
  const failed = outcomes.filter((outcome) => outcome.status === 'failed');
  if (failed.length) {
    throw new CommandError(
      `${failed.length} of ${outcomes.length} archive(s) not imported (first: ${failed[0].reason}); run the same command again to finish`,
    );
  }
  const imported = outcomes.filter((outcome) => outcome.status === 'imported').length;
  console.log(
    `backfill ${from}..${to}: ${imported} archive(s) imported, ${outcomes.length - imported} already complete`,
  );
  return 0;
}
