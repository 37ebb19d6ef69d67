import { EmptyState } from '@/components/layout/EmptyState';
import { PageHeader } from '@/components/layout/PageHeader';

export const metadata = { title: 'Ingest' };

export default function IngestPage() {
  return (
    <>
      <PageHeader title="Ingest" description="Upload Defender or Zeek telemetry." />
      <EmptyState title="No uploads yet">
        Upload DeviceNetworkEvents / DeviceInfo exports, Streaming API blobs or Zeek conn.log, or use torwatch ingest and the ingest API.
      </EmptyState>
    </>
  );
}
