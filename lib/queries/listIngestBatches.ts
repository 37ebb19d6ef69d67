import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { getPrisma } from '@/lib/db/client';
import { authoriseQuery } from '@/lib/auth/authorise';

export interface IngestBatchRow {
  id: number;
  fileName: string;
  source: string;
  via: string;
  actor: string | null;
  status: string;
  error: string | null;
  bytes: number;
  read: number;
  inserted: number;
  duplicate: number;
  rejected: number;
  skipped: number;
  startedAt: string;
  durationMs: number | null;
  matched: boolean;
}

/** The newest ingest batches first (the Ingest page). Viewers and up. */
export async function listIngestBatches(actor: Actor, limit = 50): Promise<IngestBatchRow[]> {
  authoriseQuery(actor, 'viewer');
  const batches = await getPrisma().ingestBatch.findMany({
    orderBy: { id: 'desc' },
    take: Math.min(Math.max(limit, 1), 500),
  });
  return batches.map((b) => ({
    id: b.id,
    fileName: b.fileName,
    source: b.source,
    via: b.via,
    actor: b.actor,
    status: b.status,
    error: b.error,
    bytes: Number(b.bytes),
    read: b.rowsRead,
    inserted: b.inserted,
    duplicate: b.duplicate,
    rejected: b.rejected,
    skipped: b.skipped,
    startedAt: b.startedAt.toISOString(),
    durationMs: b.durationMs,
    matched: b.matchedAt !== null,
  }));
}
