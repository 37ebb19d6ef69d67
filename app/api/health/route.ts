import { getHealth } from '@/lib/queries/getHealth';
import { healthDetailAllowed } from '@/lib/connectors/healthDetail';

export const dynamic = 'force-dynamic';

// Anonymous by design: status only, nothing about devices or hits (docs/architecture.md §9.2). A signed-in user or an
// API token also gets the detail: each connector's health.
export async function GET(request: Request) {
  const health = await getHealth();
  let detail = {};
  if (health.database && (await healthDetailAllowed(request))) {
    const { connectorHealth } = await import('@/lib/connectors/connectorHealth');
    detail = { connectors: await connectorHealth() };
  }
  return Response.json(
    { ...health, ...detail },
    { status: health.database ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  );
}
