import { EmptyState } from '@/components/layout/EmptyState';
import { PageHeader } from '@/components/layout/PageHeader';

export const metadata = { title: 'Overview' };

export default function OverviewPage() {
  return (
    <>
      <PageHeader title="Overview" description="Tor contact across the fleet: how much, where, and the trend." />
      <EmptyState title="No hits yet" action={{ href: '/relays', label: 'Import relay data' }}>
        TorWatch needs relay data and device telemetry. Import a relay list on the Relays page, then upload Defender or Zeek files on the Ingest page; matches appear here within minutes.
      </EmptyState>
    </>
  );
}
