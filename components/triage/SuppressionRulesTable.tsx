import Link from 'next/link';
import { expireSuppressionRuleAction } from '@/lib/triage/actions';
import type { SuppressionRuleView } from '@/lib/triage/listSuppressionRules';
import { formatUtc } from '@/lib/time/formatUtc';

const CRITERION_LABELS: Array<[keyof SuppressionRuleView, string]> = [
  ['deviceId', 'device'],
  ['processFileName', 'process'],
  ['processFolderPath', 'folder'],
  ['processSha256', 'SHA-256'],
  ['relayIp', 'relay address'],
  ['relayFingerprint', 'relay'],
  ['actionType', 'action'],
  ['direction', 'direction'],
];

const utc = (iso: string | null) => formatUtc(iso, { seconds: false });

/** Suppression rules with what they match and how many hits each holds suppressed (links to those hits). */
export function SuppressionRulesTable({ rules }: { rules: SuppressionRuleView[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm" aria-label="Suppression rules">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:border-slate-800 dark:bg-slate-800/60 dark:text-slate-300">
          <tr>
            <th className="px-3 py-2">Matches</th>
            <th className="px-3 py-2">Reason</th>
            <th className="px-3 py-2 text-right">Hits suppressed</th>
            <th className="px-3 py-2">Created</th>
            <th className="px-3 py-2">Expires</th>
            <th className="px-3 py-2">State</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((rule) => (
            <tr
              key={rule.id}
              id={`rule-${rule.id}`}
              className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800"
            >
              <td className="px-3 py-2">
                <ul>
                  {CRITERION_LABELS.filter(([key]) => rule[key]).map(([key, label]) => (
                    <li key={key}>
                      <span className="text-slate-500">{label}:</span>{' '}
                      <span className="break-all font-mono text-xs">{String(rule[key])}</span>
                    </li>
                  ))}
                </ul>
              </td>
              <td className="px-3 py-2">{rule.reason}</td>
              <td className="px-3 py-2 text-right tabular-nums">
                {rule.firstSuppressedAt && rule.lastSuppressedAt ? (
                  <Link
                    href={`/hits?${new URLSearchParams({ from: rule.firstSuppressedAt, to: new Date(Date.parse(rule.lastSuppressedAt) + 1000).toISOString(), status: 'suppressed' })}`}
                    className="underline"
                    title="Suppressed hits in this rule's time span"
                    data-testid="rule-hit-count"
                  >
                    {rule.suppressedHits.toLocaleString('en')}
                  </Link>
                ) : (
                  <span data-testid="rule-hit-count">0</span>
                )}
              </td>
              <td className="px-3 py-2 text-xs">
                {utc(rule.createdAt)}
                <br />
                <span className="text-slate-500">{rule.createdBy ?? ''}</span>
              </td>
              <td className="px-3 py-2 text-xs">{utc(rule.expiresAt)}</td>
              <td className="px-3 py-2">
                {rule.active ? (
                  <form action={expireSuppressionRuleAction} className="flex flex-col gap-1">
                    <input type="hidden" name="id" value={rule.id} />
                    <span className="text-xs font-medium text-emerald-700 dark:text-emerald-400">active</span>
                    <label className="flex items-center gap-1 text-xs">
                      <input type="checkbox" name="restore" /> restore its hits to new
                    </label>
                    <button
                      type="submit"
                      className="self-start rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
                    >
                      Expire now
                    </button>
                  </form>
                ) : (
                  <span className="text-xs text-slate-500">expired</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
