import type { RelayHistoryCoverage as Coverage } from '@/lib/queries/getRelayHistoryCoverage';
import { BackfillButton, type BackfillState } from './BackfillButton';

const day = (iso: string | null) => iso?.slice(0, 10) ?? '—';

/** "telemetry from 2026-08-03; relay history from 2026-09-14 — backfill the gap", with a button for admins. */
export function RelayHistoryCoverage({
  coverage,
  canBackfill,
  action,
}: {
  coverage: Coverage;
  canBackfill: boolean;
  action: (state: BackfillState, form: FormData) => Promise<BackfillState>;
}) {
  if (!coverage.telemetryFrom) return null;
  const gap =
    coverage.missingMonths.length > 0 ||
    !coverage.historyFrom ||
    coverage.historyFrom.slice(0, 10) > coverage.telemetryFrom.slice(0, 10);
  return (
    <section
      aria-label="Relay history coverage"
      data-testid="relay-history-coverage"
      className={`rounded-lg border p-4 text-sm ${
        gap
          ? 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-900/30 dark:text-amber-100'
          : 'border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900'
      }`}
    >
      <p>
        Telemetry from {day(coverage.telemetryFrom)} to {day(coverage.telemetryTo)};{' '}
        {coverage.historyFrom
          ? `relay history (hourly consensuses) from ${day(coverage.historyFrom)} to ${day(coverage.historyTo)}`
          : 'no relay history (hourly consensuses) yet'}
        {gap ? ' — backfill the gap.' : '.'}
      </p>
      {gap && coverage.missingMonths.length ? (
        <p className="mt-1 text-xs">Months without complete history: {coverage.missingMonths.join(', ')}.</p>
      ) : null}
      {gap && canBackfill && coverage.missingMonths.length ? (
        <BackfillButton
          action={action}
          from={coverage.missingMonths[0]}
          to={coverage.missingMonths[coverage.missingMonths.length - 1]}
        />
      ) : null}
    </section>
  );
}
