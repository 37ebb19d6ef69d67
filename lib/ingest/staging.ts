import type pg from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import { STAGING_COLUMNS } from './copyText';

// The set-based half of the loader: rows arrive by COPY into a temporary staging table (dropped at commit), then a
// few INSERT … SELECT statements move them into the real tables, letting the unique keys skip what is already there.

const CREATE_STAGING = `
  CREATE TEMP TABLE ingest_staging (
    kind char(1) NOT NULL, line int NOT NULL, ts timestamptz NOT NULL, device_id text NOT NULL, device_name text,
    action_type text, direction text NOT NULL, remote_ip inet, remote_port int, remote_url text, local_ip inet,
    local_port int, protocol text, process_file_name text, process_folder_path text, process_sha256 text,
    process_command_line text, process_account_name text, process_id bigint, report_id text NOT NULL, source text NOT NULL,
    public_ip inet, os_platform text, os_version text, machine_group text, attributes jsonb
  ) ON COMMIT DROP`;

/** The COPY into the staging table, with backpressure and the first error remembered (a stream errors only once). */
export class StagingCopy {
  private failure: Error | null = null;

  private constructor(private stream: CopyStreamQuery) {
    stream.on('error', (error: Error) => {
      this.failure ??= error;
    });
  }

  /** Creates the staging table (inside the caller's transaction) and opens the COPY stream into it. */
  static async open(client: pg.PoolClient): Promise<StagingCopy> {
    await client.query(CREATE_STAGING);
    return new StagingCopy(client.query(copyFrom(`COPY ingest_staging (${STAGING_COLUMNS.join(', ')}) FROM STDIN`)));
  }

  /** Writes one block of COPY text, waiting while the connection's buffer is full. */
  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (text === '' || this.stream.write(text)) return;
    await this.settle('drain');
  }

  /** Ends the COPY and waits until PostgreSQL has taken every row. */
  async finish(): Promise<void> {
    if (this.failure) throw this.failure;
    const finished = this.settle('finish');
    this.stream.end();
    await finished;
  }

  /** Abandons the COPY (PostgreSQL gets CopyFail and the COPY statement fails; the transaction can roll back). */
  async abort(reason: Error): Promise<void> {
    if (this.failure || this.stream.writableFinished) return;
    const ended = this.settle('close').catch(() => undefined);
    this.stream.destroy(reason);
    await ended;
  }

  private settle(event: 'drain' | 'finish' | 'close'): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        this.stream.off(event, done);
        this.stream.off('error', done);
        if (error) reject(error);
        else resolve();
      };
      this.stream.on(event, done);
      this.stream.on('error', done);
    });
  }
}

export interface MergeCounts {
  eventsInserted: number;
  devicesInserted: number;
}

const EVENT_COLUMNS = `ts, device_id, device_name, action_type, direction, remote_ip, remote_port, remote_url, local_ip,
  local_port, protocol, process_file_name, process_folder_path, process_sha256, process_command_line,
  process_account_name, process_id, report_id, source`;

/** Moves the staged rows into network_event, device_info_record and device; duplicates (by identity) are skipped. */
export async function mergeStaging(client: pg.PoolClient, batchId: number): Promise<MergeCounts> {
  await client.query('ANALYZE ingest_staging');
  const events = await client.query(
    `INSERT INTO network_event (${EVENT_COLUMNS}, batch_id)
     SELECT ${EVENT_COLUMNS}, $1 FROM ingest_staging WHERE kind = 'e'
     ON CONFLICT (device_id, report_id, ts) DO NOTHING`, [batchId]);
  const deviceInfo = await client.query(
    `INSERT INTO device_info_record (ts, device_id, device_name, public_ip, report_id, batch_id)
     SELECT ts, device_id, device_name, public_ip, report_id, $1 FROM ingest_staging WHERE kind = 'd'
     ON CONFLICT (device_id, report_id, ts) DO NOTHING`, [batchId]);
  // Devices seen in events: the name and the first/last time seen.
  await client.query(
    `INSERT INTO device (device_id, device_name, first_seen, last_seen, updated_at)
     SELECT device_id, max(device_name), min(ts), max(ts), now() FROM ingest_staging WHERE kind = 'e' GROUP BY device_id
     ON CONFLICT (device_id) DO UPDATE SET
       device_name = COALESCE(device.device_name, EXCLUDED.device_name),
       first_seen = LEAST(device.first_seen, EXCLUDED.first_seen),
       last_seen = GREATEST(device.last_seen, EXCLUDED.last_seen), updated_at = now()`);
  // Devices described by DeviceInfo: the latest report of this file describes the device (name, OS, group).
  await client.query(
    `INSERT INTO device (device_id, device_name, os_platform, os_version, machine_group, attributes, first_seen, last_seen, updated_at)
     SELECT DISTINCT ON (device_id) device_id, device_name, os_platform, os_version, machine_group, attributes,
       min(ts) OVER (PARTITION BY device_id), max(ts) OVER (PARTITION BY device_id), now()
     FROM ingest_staging WHERE kind = 'd' ORDER BY device_id, ts DESC
     ON CONFLICT (device_id) DO UPDATE SET
       device_name = COALESCE(EXCLUDED.device_name, device.device_name),
       os_platform = COALESCE(EXCLUDED.os_platform, device.os_platform),
       os_version = COALESCE(EXCLUDED.os_version, device.os_version),
       machine_group = COALESCE(EXCLUDED.machine_group, device.machine_group),
       attributes = COALESCE(EXCLUDED.attributes, device.attributes),
       first_seen = LEAST(device.first_seen, EXCLUDED.first_seen),
       last_seen = GREATEST(device.last_seen, EXCLUDED.last_seen), updated_at = now()`);
  return { eventsInserted: events.rowCount ?? 0, devicesInserted: deviceInfo.rowCount ?? 0 };
}
