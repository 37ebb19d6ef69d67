import { EmptyState } from '@/components/layout/EmptyState';
import { PageHeader } from '@/components/layout/PageHeader';

export const metadata = { title: 'Jobs' };

export default function JobsPage() {
  return (
    <>
      <PageHeader title="Jobs" description="Scheduled work: relay fetches and match runs." />
      <EmptyState title="No runs yet">
        The worker fetches relay lists and matches new events on a schedule.
      </EmptyState>
    </>
  );
}
