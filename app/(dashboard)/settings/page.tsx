import { EmptyState } from '@/components/layout/EmptyState';
import { PageHeader } from '@/components/layout/PageHeader';

export const metadata = { title: 'Settings' };

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Schedules, feeds, users and tokens." />
      <EmptyState title="Nothing to configure yet">
        Settings arrive with relay feeds, accounts and alerting.
      </EmptyState>
    </>
  );
}
