import { hasRole, requirePageRole } from '@/lib/auth/guard';
import { maxUploadBytes } from '@/lib/ingest/ingestRequest';
import { listIngestBatches } from '@/lib/queries/listIngestBatches';
import { listIngestRejects } from '@/lib/queries/listIngestRejects';
import { EmptyState } from '@/components/layout/EmptyState';
import { PageHeader } from '@/components/layout/PageHeader';
import { BatchTable } from '@/components/ingest/BatchTable';
import { RejectsViewer } from '@/components/ingest/RejectsViewer';
import { UploadPanel } from '@/components/ingest/UploadPanel';

export const metadata = { title: 'Ingest' };

export default async function IngestPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Ingest is an analyst's page (navItems: minRole analyst); viewers get the layout's 403.
  const actor = await requirePageRole('analyst');
  const params = await searchParams;
  const selected = typeof params.batch === 'string' && /^\d{1,9}$/.test(params.batch) ? Number(params.batch) : null;
  const [batches, rejects] = await Promise.all([
    listIngestBatches(actor),
    selected === null ? null : listIngestRejects(actor, selected),
  ]);
  return (
    <>
      <PageHeader
        title="Ingest"
        description="Defender and Zeek telemetry in: upload files here, or use torwatch ingest and POST /api/v1/ingest."
      />
      <div className="flex flex-col gap-6">
        <UploadPanel maxBytes={maxUploadBytes()} />
        {rejects ? <RejectsViewer view={rejects} /> : null}
        <section aria-labelledby="batches-heading">
          <h2 id="batches-heading" className="mb-2 text-lg font-medium">
            Batches
          </h2>
          {batches.length === 0 ? (
            <EmptyState title="No uploads yet">
              Upload DeviceNetworkEvents / DeviceInfo exports, Streaming API blobs or Zeek conn.log, or use torwatch
              ingest and the ingest API.
            </EmptyState>
          ) : (
            <BatchTable batches={batches} canDelete={hasRole(actor, 'admin')} selected={selected} />
          )}
        </section>
      </div>
    </>
  );
}
