'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { audit } from '@/lib/auth/audit';
import { serverAction } from '@/lib/auth/serverAction';
import { BatchBusyError, deleteIngestBatch } from '@/lib/ingest/deleteIngestBatch';

export interface DeleteBatchResult {
  ok: boolean;
  message: string;
}

/** Admins: removes a batch, its events and the hits resting on them (audited). */
export const deleteBatchAction = serverAction(
  {
    name: 'deleteBatchAction',
    role: 'admin',
    input: z.object({ batchId: z.number().int().positive() }),
    from: (batchId: number) => ({ batchId }),
    fail: (message): DeleteBatchResult => ({ ok: false, message }),
    expected: [BatchBusyError],
  },
  async ({ actor, input: { batchId } }): Promise<DeleteBatchResult> => {
    const deleted = await deleteIngestBatch(batchId);
    if (!deleted) return { ok: false, message: `Batch ${batchId} does not exist (any more).` };
    await audit(actor, 'ingest.delete', `batch:${batchId}`, deleted);
    revalidatePath('/ingest');
    return {
      ok: true,
      message: `Deleted batch ${batchId} (${deleted.fileName}): ${deleted.events} events, ${deleted.hits} hits, ${deleted.deviceInfoRecords} DeviceInfo records.`,
    };
  },
);
