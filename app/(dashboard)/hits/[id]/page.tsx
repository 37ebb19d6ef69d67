import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePageRole } from '@/lib/auth/guard';
import { getHitDetail } from '@/lib/queries/getHitDetail';
import { PageHeader } from '@/components/layout/PageHeader';
import { HitDetailPanel } from '@/components/hits/HitDetailPanel';
import { HitTriageSection } from '@/components/triage/HitTriageSection';

export const metadata = { title: 'Hit' };

export default async function HitPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ tz?: string }>;
}) {
  const actor = await requirePageRole('viewer');
  const [{ id }, { tz }] = await Promise.all([params, searchParams]);
  const detail = await getHitDetail(actor, id);
  if (!detail) notFound();
  return (
    <>
      <PageHeader
        title={`Hit #${detail.hit.id}`}
        description={`${detail.hit.deviceName ?? detail.hit.deviceId} reached a Tor relay.`}
        actions={
          <Link href="/hits" className="text-sm text-violet-800 underline dark:text-violet-300">
            All hits
          </Link>
        }
      />
      <div className="max-w-4xl">
        <HitDetailPanel
          detail={detail}
          tz={tz === 'local' ? 'local' : 'utc'}
          triage={<HitTriageSection actor={actor} hitId={detail.hit.id} />}
        />
      </div>
    </>
  );
}
