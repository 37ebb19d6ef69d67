import Link from 'next/link';
import { PageHeader } from '@/components/layout/PageHeader';
import { requirePageRole } from '@/lib/auth/guard';

export const metadata = { title: 'Settings' };

const SECTIONS = [
  {
    href: '/settings/users',
    title: 'Users',
    text: 'Accounts and roles: admin, analyst, viewer. Disable, unlock, reset passwords.',
  },
  {
    href: '/settings/tokens',
    title: 'API tokens',
    text: 'Machine tokens for the ingest and read APIs: create, see last use, revoke.',
  },
  {
    href: '/settings/audit',
    title: 'Audit log',
    text: 'Sign-ins, user and token changes, uploads, exports, triage and settings changes.',
  },
  {
    href: '/settings/schedules',
    title: 'Feeds & schedules',
    text: 'Relay feeds, their URLs and when they are fetched and matched.',
  },
  { href: '/settings/webhooks', title: 'Webhooks', text: 'Where new high-confidence hits are announced.' },
  {
    href: '/settings/connectors',
    title: 'Connectors',
    text: 'Telemetry pulled on a schedule: Defender storage, Graph advanced hunting, Zeek log folders.',
  },
  {
    href: '/settings/retention',
    title: 'Retention',
    text: 'How long raw events and hourly summaries are kept, what the next run would drop, and the last run.',
  },
];

export default async function SettingsPage() {
  await requirePageRole('admin');
  return (
    <>
      <PageHeader title="Settings" description="Accounts, machine access, the audit trail, feeds and alerting." />
      <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {SECTIONS.map((section) => (
          <li key={section.href}>
            <Link
              href={section.href}
              className="block h-full rounded-lg border border-slate-200 bg-white p-4 hover:border-violet-400 dark:border-slate-800 dark:bg-slate-900 dark:hover:border-violet-600"
            >
              <h2 className="font-semibold">{section.title}</h2>
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{section.text}</p>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
