import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { getPrisma } from '@/lib/db/client';
import { authoriseQuery } from '@/lib/auth/authorise';

export interface IngestRejectsView {
  batchId: number;
  fileName: string;
  /** The true count; at most 1,000 are stored. */
  rejected: number;
  rejects: Array<{ line: number; field: string; reason: string }>;
}

/** The stored rejects of one batch, by line (the Ingest page's rejects viewer). Viewers and up; null if no batch. */
export async function listIngestRejects(actor: Actor, batchId: number): Promise<IngestRejectsView | null> {
  authoriseQuery(actor, 'viewer');
  const batch = await getPrisma().ingestBatch.findUnique({
    where: { id: batchId },
    select: {
      id: true,
      fileName: true,
      rejected: true,
      rejects: { orderBy: [{ line: 'asc' }, { id: 'asc' }], select: { line: true, field: true, reason: true } },
    },
  });
  if (!batch) return null;
  return { batchId: batch.id, fileName: batch.fileName, rejected: batch.rejected, rejects: batch.rejects };
}
