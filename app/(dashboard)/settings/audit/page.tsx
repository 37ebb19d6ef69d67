import Link from 'next/link';
import { z } from 'zod';
import { PageHeader } from '@/components/layout/PageHeader';
import { requirePageRole } from '@/lib/auth/guard';
import { listAuditLog } from '@/lib/auth/listAuditLog';
import { formatUtc } from '@/lib/time/formatUtc';

export const metadata = { title: 'Audit log' };

const params = z.object({
  before: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional()
    .catch(undefined),
  action: z
    .string()
    .max(64)
    .regex(/^[a-z._-]*$/)
    .optional()
    .catch(undefined),
});
const FAMILIES = ['login', 'logout', 'setup', 'user', 'token', 'ingest', 'hits', 'triage', 'settings', 'retention'];

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageRole('admin');
  const { before, action } = params.parse(await searchParams);
  const { entries, nextBefore } = await listAuditLog({ before: before ? BigInt(before) : null, action });
  const link = (next: Record<string, string | undefined>) =>
    `/settings/audit?${new URLSearchParams(Object.entries(next).filter((e): e is [string, string] => !!e[1]))}`;
  return (
    <>
      <PageHeader title="Audit log" description="Security-relevant actions, newest first." />
      <nav aria-label="Filter by action" className="mb-4 flex flex-wrap gap-2 text-sm">
        <Link
          href="/settings/audit"
          className={`rounded-full border px-3 py-1 ${!action ? 'border-violet-500 bg-violet-50 dark:bg-violet-950' : 'border-slate-300 dark:border-slate-700'}`}
        >
          all
        </Link>
        {FAMILIES.map((family) => (
          <Link
            key={family}
            href={link({ action: family })}
            className={`rounded-full border px-3 py-1 ${action === family ? 'border-violet-500 bg-violet-50 dark:bg-violet-950' : 'border-slate-300 dark:border-slate-700'}`}
          >
            {family}
          </Link>
        ))}
      </nav>
      <table className="w-full border-collapse text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500 dark:border-slate-800">
          <tr>
            <th className="py-2 pr-4">Time (UTC)</th>
            <th className="py-2 pr-4">Actor</th>
            <th className="py-2 pr-4">Action</th>
            <th className="py-2 pr-4">Target</th>
            <th className="py-2 pr-4">Details</th>
            <th className="py-2">IP</th>
          </tr>
        </thead>
        <tbody>
          {entries.length === 0 ? (
            <tr>
              <td colSpan={6} className="py-6 text-center text-slate-500">
                Nothing recorded{action ? ` for ${action}` : ''}.
              </td>
            </tr>
          ) : null}
          {entries.map((entry) => (
            <tr key={entry.id} className="border-b border-slate-100 align-top dark:border-slate-800">
              <td className="py-2 pr-4 whitespace-nowrap font-mono text-xs">{formatUtc(entry.at)}</td>
              <td className="py-2 pr-4">{entry.actor}</td>
              <td className="py-2 pr-4 font-medium">{entry.action}</td>
              <td className="py-2 pr-4 break-all">{entry.target ?? '—'}</td>
              <td className="py-2 pr-4 max-w-md break-all font-mono text-xs text-slate-600 dark:text-slate-400">
                {entry.details ? JSON.stringify(entry.details) : ''}
              </td>
              <td className="py-2 font-mono text-xs">{entry.ip ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {nextBefore ? (
        <Link
          href={link({ action, before: nextBefore })}
          className="mt-4 inline-block text-sm font-medium text-violet-700 hover:underline dark:text-violet-400"
        >
          Older →
        </Link>
      ) : null}
    </>
  );
}
