import { EmptyState } from '@/components/layout/EmptyState';
import { PageHeader } from '@/components/layout/PageHeader';

export const metadata = { title: 'Devices' };

export default function DevicesPage() {
  return (
    <>
      <PageHeader title="Devices" description="Devices that reached Tor, their processes and public IPs over time." />
      <EmptyState title="No devices yet" action={{ href: '/ingest', label: 'Upload telemetry' }}>
        Devices are known from DeviceInfo and network event uploads.
      </EmptyState>
    </>
  );
}
