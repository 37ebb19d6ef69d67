import Link from 'next/link';
import { stalledConnectors } from '@/lib/connectors/connectorHealth';

/** On the Overview: connectors with no successful pull within three of their intervals. */
export async function StalledConnectorsBanner({ linkToSettings }: { linkToSettings: boolean }) {
  const stalled = await stalledConnectors().catch(() => []);
  if (stalled.length === 0) return null;
  return (
    <div
      role="alert"
      className="mb-4 rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      {stalled.length === 1 ? 'Connector' : 'Connectors'} stalled: {stalled.join(', ')} — no telemetry pulled within
      three intervals; hits may be missing.{' '}
      {linkToSettings ? (
        <Link href="/settings/connectors" className="underline">
          See Connectors
        </Link>
      ) : null}
    </div>
  );
}
