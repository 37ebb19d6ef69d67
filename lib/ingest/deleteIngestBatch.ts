import { Rollback, withTransaction } from '@/lib/db/withTransaction';

/** The batch is still being loaded; the user may retry when it has finished. */
export class BatchBusyError extends Error {}

export interface DeletedBatch {
  batchId: number;
  fileName: string;
  events: number;
  hits: number;
  deviceInfoRecords: number;
}

/**
 * Removes a batch with everything it brought: its events, the hits resting on them (a hit rests on exactly one
 * event), its DeviceInfo records and its rejects (the hourly summaries are made when a month's raw events are dropped, so
 * they hold none of a batch that still has events, docs/architecture.md §16.1). Devices stay (other batches may describe them). Returns null when
 * there is no such batch; refuses a batch that is still loading.
 */
export async function deleteIngestBatch(batchId: number): Promise<DeletedBatch | null> {
  return withTransaction(async (client) => {
    const { rows } = await client.query<{ file_name: string; status: string }>(
      'SELECT file_name, status FROM ingest_batch WHERE id = $1 FOR UPDATE',
      [batchId],
    );
    if (rows.length === 0) return new Rollback(null);
    if (rows[0].status === 'running')
      throw new BatchBusyError(`batch ${batchId} is still loading; delete it when it has finished`);
    const hits = await client.query(
      'DELETE FROM hit WHERE event_id IN (SELECT id FROM network_event WHERE batch_id = $1)',
      [batchId],
    );
    const events = await client.query('DELETE FROM network_event WHERE batch_id = $1', [batchId]);
    const deviceInfo = await client.query('DELETE FROM device_info_record WHERE batch_id = $1', [batchId]);
    await client.query('DELETE FROM ingest_batch WHERE id = $1', [batchId]);
    return {
      batchId,
      fileName: rows[0].file_name,
      events: events.rowCount ?? 0,
      hits: hits.rowCount ?? 0,
      deviceInfoRecords: deviceInfo.rowCount ?? 0,
    };
  });
}
