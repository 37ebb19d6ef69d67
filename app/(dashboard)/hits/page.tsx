import { EmptyState } from '@/components/layout/EmptyState';
import { PageHeader } from '@/components/layout/PageHeader';

export const metadata = { title: 'Hits' };

export default function HitsPage() {
  return (
    <>
      <PageHeader title="Hits" description="Every network event whose remote address was a Tor relay at the time." />
      <EmptyState title="No hits to show" action={{ href: '/ingest', label: 'Upload telemetry' }}>
        Hits appear once telemetry has been ingested and matched against relay data.
      </EmptyState>
    </>
  );
}
