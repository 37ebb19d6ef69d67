import 'server-only';
import { getPrisma } from '@/lib/db/client';

export interface Health {
  status: 'ok' | 'degraded' | 'down';
  database: boolean;
  worker: boolean;
  relayDataAgeHours: number | null;
  lastMatchRun: { finishedAt: string | null; status: string } | null;
}

const WORKER_STALE_MS = 60_000;

export async function getHealth(): Promise<Health> {
  try {
    const prisma = getPrisma();
    const [heartbeat, snapshot, run] = await Promise.all([
      prisma.setting.findUnique({ where: { key: 'worker.heartbeat' } }),
      prisma.relaySnapshot.findFirst({ orderBy: { observedAt: 'desc' }, select: { observedAt: true } }),
      prisma.matchRun.findFirst({ orderBy: { startedAt: 'desc' }, select: { finishedAt: true, status: true } }),
    ]);
    const beatAt = heartbeat ? Date.parse((heartbeat.value as { at: string }).at) : NaN;
    const worker = Number.isFinite(beatAt) && Date.now() - beatAt < WORKER_STALE_MS;
    return {
      status: worker ? 'ok' : 'degraded',
      database: true,
      worker,
      relayDataAgeHours: snapshot
        ? Math.round(((Date.now() - snapshot.observedAt.getTime()) / 3_600_000) * 10) / 10
        : null,
      lastMatchRun: run ? { finishedAt: run.finishedAt?.toISOString() ?? null, status: run.status } : null,
    };
  } catch {
    return { status: 'down', database: false, worker: false, relayDataAgeHours: null, lastMatchRun: null };
  }
}
