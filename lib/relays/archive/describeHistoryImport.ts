import type { HistoryImportSummary } from './importRelayHistory';

/** The per-archive summary line. */
export function describeHistoryImport(s: HistoryImportSummary): string {
  const span = s.firstHour && s.lastHour ? ` hours=${iso(s.firstHour)}..${iso(s.lastHour)}` : '';
  return (
    `${s.source}: documents=${s.documents} consensuses=${s.consensuses} exit_lists=${s.exitLists} skipped=${s.skipped} ` +
    `broken=${s.broken.length} rejected=${s.rejected} relays=${s.relays} addresses=${s.addresses} ` +
    `intervals_new=${s.intervalsAdded} intervals_extended=${s.intervalsExtended}` +
    (s.intervalsRemoved ? ` intervals_split=${s.intervalsRemoved}` : '') +
    `${span} seconds=${s.seconds.toFixed(1)}`
  );
}

const iso = (date: Date) => date.toISOString().slice(0, 13) + ':00Z';
