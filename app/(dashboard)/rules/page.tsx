import Link from 'next/link';
import { requirePageRole } from '@/lib/auth/guard';
import { listSuppressionRules } from '@/lib/triage/listSuppressionRules';
import { EmptyState } from '@/components/layout/EmptyState';
import { PageHeader } from '@/components/layout/PageHeader';
import { SuppressionRulesTable } from '@/components/triage/SuppressionRulesTable';

export const metadata = { title: 'Suppression rules' };

export default async function RulesPage({ searchParams }: { searchParams: Promise<{ suppressed?: string }> }) {
  const actor = await requirePageRole('analyst');
  const [rules, { suppressed }] = await Promise.all([listSuppressionRules(actor), searchParams]);
  return (
    <>
      <PageHeader
        title="Suppression rules"
        description="Known-good Tor use, hidden from the default hits view: applied to open hits when created and to every new hit at match time."
        actions={
          <Link
            href="/rules/new"
            className="rounded-md bg-violet-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-violet-800"
          >
            New rule
          </Link>
        }
      />
      {suppressed !== undefined && /^\d+$/.test(suppressed) ? (
        <p role="status" className="mb-3 text-sm text-emerald-700 dark:text-emerald-400">
          Rule created: {Number(suppressed).toLocaleString('en')} open hits suppressed.
        </p>
      ) : null}
      {rules.length ? (
        <SuppressionRulesTable rules={rules} />
      ) : (
        <EmptyState title="No suppression rules yet" action={{ href: '/hits', label: 'Go to hits' }}>
          Open a hit and choose “Suppress hits like this…”, or create a rule from scratch with “New rule”.
        </EmptyState>
      )}
    </>
  );
}
