import { CONFIDENCE_COLOURS } from '@/components/charts/palette';
import { countryName } from './countryName';

// Confidence is told by text and shape as well as colour (colour-blind safe).
export function ConfidenceBadge({ confidence }: { confidence: string }) {
  const marks: Record<string, string> = { high: '▲▲▲', medium: '▲▲', low: '▲' };
  return (
    <span className="inline-flex items-center gap-1 text-xs font-medium">
      <span aria-hidden style={{ color: CONFIDENCE_COLOURS[confidence] }}>
        {marks[confidence] ?? '?'}
      </span>
      {confidence}
    </span>
  );
}

const STATUS_STYLE: Record<string, string> = {
  new: 'border-sky-600 text-sky-800 dark:text-sky-300',
  investigating: 'border-amber-600 text-amber-800 dark:text-amber-300',
  true_positive: 'border-orange-700 text-orange-800 dark:text-orange-300 font-semibold',
  benign: 'border-slate-400 text-slate-600 dark:text-slate-400',
  suppressed: 'border-dashed border-slate-400 text-slate-500',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      className={`inline-block rounded border px-1.5 py-0.5 text-xs ${STATUS_STYLE[status] ?? ''}`}
      data-status={status}
    >
      {status.replace('_', ' ')}
    </span>
  );
}

/** Upper-case code with the country name (UI convention; storage is lower case). */
export function CountryLabel({ code }: { code: string | null }) {
  if (!code || code === '-') return <span className="text-slate-400">—</span>;
  return (
    <span title={countryName(code)}>
      {code.toUpperCase()} <span className="text-slate-500 dark:text-slate-400">{countryName(code)}</span>
    </span>
  );
}
