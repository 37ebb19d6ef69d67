import { getHealth } from '@/lib/queries/getHealth';

export const dynamic = 'force-dynamic';

// Anonymous by design: status only, nothing about devices or hits (docs/architecture.md §9.2).
export async function GET() {
  const health = await getHealth();
  return Response.json(health, { status: health.database ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
