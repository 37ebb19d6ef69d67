import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import { withDatabase } from './withDatabase';
import type { PartitionPlan, RetentionPlan } from '@/lib/retention/retentionPlan';

// `torwatch retention show|apply [--dry-run]` (docs/architecture.md §16.2, README "Retention").
export const usage = 'torwatch retention show | torwatch retention apply [--dry-run]';

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { 'dry-run': { type: 'boolean' } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [verb, ...rest] = parsed.positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (verb !== 'show' && verb !== 'apply') throw new UsageError('say show or apply');
  if (verb === 'show' && parsed.values['dry-run']) throw new UsageError('--dry-run goes with apply');
  const dryRun = verb === 'show' || parsed.values['dry-run'] === true;
  const { applyRetention } = await import('@/lib/retention/applyRetention');
  const { LOCAL_OPERATOR } = await import('@/lib/auth/localOperator');
  const outcome = await withDatabase(() => applyRetention({ dryRun, actor: LOCAL_OPERATOR, trigger: 'cli' }));
  console.log(describePlan(outcome.plan));
  const going = outcome.plan.partitions.filter((p) => p.verdict.action === 'drop');
  if (dryRun) console.log(`dry run: ${going.length} partition(s) would be dropped; nothing changed`);
  else console.log(`dropped ${outcome.dropped.length} partition(s)`);
  return 0;
}

export function describePlan(plan: RetentionPlan): string {
  const lines = [
    `raw events: kept ${plan.eventRetentionDays} days (months ending before ${plan.eventHorizon.toISOString()} may go)`,
    `summaries: kept ${plan.summaryRetentionDays} days (months ending before ${plan.summaryHorizon.toISOString()} go)`,
    '',
    ['table', 'month', 'rows', 'MB', 'action', 'why'].join('\t'),
  ];
  for (const partition of plan.partitions) lines.push(row(partition));
  if (plan.partitions.length === 0) lines.push('(no month partitions)');
  return lines.join('\n');
}

function row(p: PartitionPlan): string {
  const rows = `${p.approximate ? '≈' : ''}${p.rows}`;
  return [p.table, p.month, rows, (p.bytes / 1_048_576).toFixed(1), p.verdict.action, p.verdict.reason].join('\t');
}
