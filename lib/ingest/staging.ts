import type pg from 'pg';
import { CopyIn } from './copyIn';
import { insertEventsSql, prepareEventsSql } from '@/lib/store/eventSql';
import { deviceCopyRow, eventCopyRow, STAGING_COLUMNS } from './copyText';
import type { IngestTally, TalliedChunk } from './ingestTally';

// The loader that copes with anything: rows arrive by COPY into a temporary staging table (dropped at commit), then a
// few INSERT … SELECT statements move them into the real tables, letting the unique keys skip what is already there.
// Used for input that cannot be read twice (uploads, API bodies) and when the direct COPY (directCopy.ts) gives way.

const CREATE_STAGING = `
  CREATE TEMP TABLE ingest_staging (
    kind char(1) NOT NULL, line int NOT NULL, ts timestamptz NOT NULL, device_id text NOT NULL, device_name text,
    action_type text, direction text NOT NULL, remote_ip inet, remote_port int, remote_url text, local_ip inet,
    local_port int, protocol text, process_file_name text, process_folder_path text, process_sha256 text,
    process_command_line text, process_account_name text, process_id bigint, report_id text NOT NULL, source text NOT NULL,
    public_ip inet, os_platform text, os_version text, machine_group text, attributes jsonb
  ) ON COMMIT DROP`;

/**
 * Copies the file's rows into the staging table (created inside the caller's transaction); rows PostgreSQL cannot
 * hold become rejects. Nothing reaches the real tables until mergeStaging.
 */
export async function copyStaged(
  client: pg.PoolClient,
  chunks: AsyncIterable<TalliedChunk>,
  tally: IngestTally,
): Promise<void> {
  await client.query(CREATE_STAGING);
  const copy = CopyIn.open(client, `COPY ingest_staging (${STAGING_COLUMNS.join(', ')}) FROM STDIN`);
  try {
    for await (const chunk of chunks) {
      await copy.write(tally.copyText(chunk.events, eventCopyRow) + tally.copyText(chunk.devices, deviceCopyRow));
    }
    await copy.finish();
  } catch (error) {
    await copy.abort(error as Error);
    throw error;
  }
}

export interface MergeCounts {
  eventsInserted: number;
  devicesInserted: number;
}

/**
 * How events add to a device row, as one UPDATE from `sightings` (one row per device: device_id, device_name,
 * first_seen, last_seen): the stored name wins, first/last seen widen (the direct loader shares it). The rows exist —
 * every loader inserts the devices its events need first — and an INSERT … ON CONFLICT DO UPDATE would draw a
 * device_key from the sequence for every device of every batch (docs/architecture.md §4.6). A row the batch changes
 * nothing in is not written: a fleet's every device appears in every batch, and rewriting them all left a dead row
 * per device per batch.
 */
export function updateDeviceSightings(sightings: string): string {
  return `UPDATE device SET device_name = COALESCE(device.device_name, s.device_name),
       first_seen = LEAST(device.first_seen, s.first_seen), last_seen = GREATEST(device.last_seen, s.last_seen),
       updated_at = now()
     FROM (${sightings}) s
     WHERE device.device_id = s.device_id
       AND ((device.device_name IS NULL AND s.device_name IS NOT NULL)
         OR device.first_seen IS NULL OR s.first_seen < device.first_seen
         OR device.last_seen IS NULL OR s.last_seen > device.last_seen)`;
}

/**
 * Moves the staged rows into network_event (compact, with its dictionaries and month partitions: docs/architecture.md
 * §4.6), device_info_record and device; duplicates (by identity) are skipped.
 */
export async function mergeStaging(client: pg.PoolClient, batchId: number): Promise<MergeCounts> {
  await client.query('ANALYZE ingest_staging');
  for (const sql of prepareEventsSql('ingest_staging')) await client.query(sql);
  const events = await client.query(insertEventsSql('ingest_staging', true), [batchId]);
  const deviceInfo = await client.query(
    `INSERT INTO device_info_record (ts, device_id, device_name, public_ip, report_id, batch_id)
     SELECT ts, device_id, device_name, public_ip, report_id, $1 FROM ingest_staging WHERE kind = 'd'
     ON CONFLICT (device_id, report_id, ts) DO NOTHING`,
    [batchId],
  );
  // Devices seen in events: the name and the first/last time seen.
  await client.query(
    updateDeviceSightings(`SELECT device_id, max(device_name) AS device_name, min(ts) AS first_seen, max(ts) AS last_seen
       FROM ingest_staging WHERE kind = 'e' GROUP BY device_id`),
  );
  // Devices described by DeviceInfo: the latest report of this file describes the device (name, OS, group). The new
  // ones are inserted first, then every one updated (an upsert would draw a key for each, see updateDeviceSightings).
  await client.query(
    `INSERT INTO device (device_id) SELECT DISTINCT s.device_id FROM ingest_staging s
     WHERE s.kind = 'd' AND NOT EXISTS (SELECT 1 FROM device d WHERE d.device_id = s.device_id)
     ORDER BY 1 ON CONFLICT DO NOTHING`,
  );
  await client.query(
    `UPDATE device SET
       device_name = COALESCE(s.device_name, device.device_name),
       os_platform = COALESCE(s.os_platform, device.os_platform),
       os_version = COALESCE(s.os_version, device.os_version),
       machine_group = COALESCE(s.machine_group, device.machine_group),
       attributes = COALESCE(s.attributes, device.attributes),
       first_seen = LEAST(device.first_seen, s.first_seen),
       last_seen = GREATEST(device.last_seen, s.last_seen), updated_at = now()
     FROM (SELECT DISTINCT ON (device_id) device_id, device_name, os_platform, os_version, machine_group, attributes,
             min(ts) OVER (PARTITION BY device_id) AS first_seen, max(ts) OVER (PARTITION BY device_id) AS last_seen
           FROM ingest_staging WHERE kind = 'd' ORDER BY device_id, ts DESC) s
     WHERE device.device_id = s.device_id`,
  );
  return { eventsInserted: events.rowCount ?? 0, devicesInserted: deviceInfo.rowCount ?? 0 };
}
