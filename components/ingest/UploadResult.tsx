import Link from 'next/link';
import type { UploadOutcome } from './uploadFile';

const SHOWN = 20;

/** One file's batch summary (the CLI's summary line, in words) and its first rejects. */
export function UploadResult({ name, outcome }: { name: string; outcome: UploadOutcome }) {
  const { summary } = outcome;
  if (!summary) {
    return (
      <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
        {name}: {outcome.error}
      </p>
    );
  }
  const ok = summary.status === 'committed';
  return (
    <div className="mt-2 text-sm" role="status">
      <p className={ok ? 'text-emerald-800 dark:text-emerald-300' : 'text-red-700 dark:text-red-400'}>
        {ok ? 'Committed' : summary.status === 'refused' ? 'Refused, nothing committed' : 'Failed, nothing committed'}
        {' · '}batch{' '}
        <Link className="underline" href={`/ingest?batch=${summary.batchId}`}>
          #{summary.batchId}
        </Link>
        {' · '}
        <span data-testid="upload-summary">
          read={summary.read} inserted={summary.inserted} duplicate={summary.duplicate} rejected={summary.rejected}
        </span>
        {summary.skipped > 0 ? ` · skipped=${summary.skipped}` : ''}
      </p>
      {summary.error ? <p className="mt-1 break-words text-red-700 dark:text-red-400">{summary.error}</p> : null}
      {summary.rejects.length > 0 ? (
        <ul className="mt-1 max-h-40 overflow-auto font-mono text-xs text-slate-700 dark:text-slate-300">
          {summary.rejects.slice(0, SHOWN).map((r, i) => (
            <li key={i}>
              {summary.file}:{r.line}: {r.field}: {r.reason}
            </li>
          ))}
          {summary.rejected > SHOWN ? (
            <li>
              … {summary.rejected - SHOWN} more —{' '}
              <Link className="underline" href={`/ingest?batch=${summary.batchId}`}>
                see all
              </Link>
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}
