import { EmptyState } from '@/components/layout/EmptyState';
import { PageHeader } from '@/components/layout/PageHeader';

export const metadata = { title: 'Relays' };

export default function RelaysPage() {
  return (
    <>
      <PageHeader title="Relays" description="Tor relay lists: feed status, history and lookup." />
      <EmptyState title="No relay data yet">
        Relay feeds are fetched on a schedule; you can also import TorRelayIPs.csv, Onionoo details or an exit list with torwatch relays import.
      </EmptyState>
    </>
  );
}
