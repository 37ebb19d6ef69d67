'use server';

import { revalidatePath } from 'next/cache';
import { audit } from '@/lib/auth/audit';
import { requireActionRole } from '@/lib/auth/guard';
import { deleteIngestBatch } from '@/lib/ingest/deleteIngestBatch';

export interface DeleteBatchResult {
  ok: boolean;
  message: string;
}

/** Admins: removes a batch, its events and the hits resting on them (audited). */
export async function deleteBatchAction(batchId: number): Promise<DeleteBatchResult> {
  const actor = await requireActionRole('admin');
  if (!Number.isSafeInteger(batchId) || batchId <= 0) return { ok: false, message: 'Not a batch id.' };
  try {
    const deleted = await deleteIngestBatch(batchId);
    if (!deleted) return { ok: false, message: `Batch ${batchId} does not exist (any more).` };
    await audit(actor, 'ingest.delete', `batch:${batchId}`, deleted);
    revalidatePath('/ingest');
    return {
      ok: true,
      message: `Deleted batch ${batchId} (${deleted.fileName}): ${deleted.events} events, ${deleted.hits} hits, ${deleted.deviceInfoRecords} DeviceInfo records.`,
    };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
