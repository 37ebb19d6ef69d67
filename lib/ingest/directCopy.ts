import type pg from 'pg';
import { CopyIn } from './copyIn';
import { batchRepeatsIdentity, COMPACT_EVENT_COLUMNS } from '@/lib/store/eventSql';
import { EventKeys, UnkeyableValueError } from './eventKeys';
import type { IngestTally, TalliedChunk } from './ingestTally';
import { updateDeviceSightings } from './staging';
import type { NetworkEventRecord } from './types';

// The optimistic loader, for input that can be read again from its start (a file): COPY straight into
// network_event's compact rows (keys resolved by EventKeys, docs/architecture.md §4.6) — one pass through the indexes instead of staging + INSERT … SELECT — betting that no event of the
// file is stored yet. Under a savepoint, so losing the bet costs only the work done: an event's identity is found
// stored already or repeated in the file (batchRepeatsIdentity, after the first chunk and after the whole COPY: the
// identity is no unique index, §4.6), PostgreSQL reports a deadlock (batches write one at a time — lockEventWriter —
// so only a writer outside ingest could cause one), or the file turns out to hold DeviceInfo records; the savepoint
// is rolled back and the caller loads the file again through the staging table. A file ingested again gives way after
// its first chunk, an overlapping one after its COPY. The rolled-back rows are dead tuples in network_event and its
// indexes until (auto)vacuum.

const SAVEPOINT = 'direct_copy';
const UNIQUE_VIOLATION = '23505';
const REPEATED = 'an event of the file is already stored or repeated in it';
/** A deadlock with a writer outside ingest (ingest batches themselves write one at a time). */
const DEADLOCK_DETECTED = '40P01';
/** Device rows (one per device and distinct name) held for the upsert; past that the staging path aggregates in SQL. */
export const MAX_DEVICE_ROWS = 100_000;

export type DirectCopy = { loaded: true; inserted: number } | { loaded: false; reason: string };

/** Why the direct COPY gives way to the staging path (not a failure of the batch). */
class Fallback extends Error {}

/**
 * Tries to load the chunks straight into network_event inside the caller's transaction, then upserts the devices
 * seen. `{ loaded: false }` means nothing of it is left (rolled back to the savepoint) and the input must be read
 * again; any other error is thrown, with the COPY ended so the transaction can roll back.
 */
export async function copyDirect(
  client: pg.PoolClient,
  batchId: number,
  chunks: AsyncIterable<TalliedChunk>,
  tally: IngestTally,
): Promise<DirectCopy> {
  await client.query(`SAVEPOINT ${SAVEPOINT}`);
  const devices = new DeviceSightings();
  const keys = new EventKeys();
  let copy: CopyIn | null = null;
  let inserted = 0;
  let firstChecked = false;
  const row = (event: NetworkEventRecord) => {
    const text = keys.row(event, batchId);
    devices.add(event);
    return text;
  };
  try {
    for await (const chunk of chunks) {
      if (chunk.devices.length > 0 || chunk.source === 'defender-device-info')
        throw new Fallback('the file holds DeviceInfo records');
      // Values not seen yet (a new device, process, month…) are looked up between two COPYs: the connection cannot
      // run a query inside one. After the first chunks nearly every chunk is known and the COPY runs on.
      if (!keys.knows(chunk.events)) {
        if (copy !== null) {
          await copy.finish();
          inserted += copy.rowCount;
          copy = null;
        }
        await keys.learn(client, chunk.events);
      }
      copy ??= CopyIn.open(client, `COPY network_event (${COMPACT_EVENT_COLUMNS.join(', ')}) FROM STDIN`);
      await copy.write(tally.copyText(chunk.events, row));
      if (!firstChecked) {
        // A file ingested again gives way after its first chunk, not after the whole COPY (the check is below).
        firstChecked = true;
        await copy.finish();
        inserted += copy.rowCount;
        copy = null;
        if (await batchRepeatsIdentity(client, batchId)) throw new Fallback(REPEATED);
      }
      if (devices.rows > MAX_DEVICE_ROWS)
        throw new Fallback(`more than ${MAX_DEVICE_ROWS.toLocaleString('en-US')} devices to aggregate in memory`);
    }
    if (copy !== null) {
      await copy.finish();
      inserted += copy.rowCount;
    }
  } catch (error) {
    await copy?.abort(error as Error);
    const reason = fallbackReason(error);
    if (reason === null) throw error;
    await client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    return { loaded: false, reason };
  }
  // The identity is no unique index (docs/architecture.md §4.6): a stored or repeated event is found after the COPY.
  if (await batchRepeatsIdentity(client, batchId)) {
    await client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    return { loaded: false, reason: REPEATED };
  }
  await devices.upsert(client);
  await client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
  return { loaded: true, inserted };
}

function fallbackReason(error: unknown): string | null {
  if (error instanceof Fallback || error instanceof UnkeyableValueError) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === UNIQUE_VIOLATION) return REPEATED;
  // The staging path then waits for the event-writer lock, so for the other batch to commit.
  if (code === DEADLOCK_DETECTED) return 'another batch is loading some of the same events';
  return null;
}

interface Sighting {
  first: string;
  last: string;
  name: string | null;
  /** Further distinct names, rare (a renamed device): SQL picks among them as the staging path's max() does. */
  otherNames: Set<string> | null;
}

/**
 * First and last time seen and the names of each device, bounded by the devices in the file, not its rows. Kept
 * strings are copied out of the parser's input (see `detached`). Times compare as text: they are fixed-width UTC.
 */
class DeviceSightings {
  private byDevice = new Map<string, Sighting>();
  /** Rows the upsert will send: one per device and distinct name. */
  rows = 0;

  add(event: NetworkEventRecord): void {
    const seen = this.byDevice.get(event.deviceId);
    if (seen === undefined) {
      const ts = detached(event.ts);
      const name = event.deviceName === null ? null : detached(event.deviceName);
      this.byDevice.set(detached(event.deviceId), { first: ts, last: ts, name, otherNames: null });
      this.rows++;
      return;
    }
    if (event.ts < seen.first) seen.first = detached(event.ts);
    else if (event.ts > seen.last) seen.last = detached(event.ts);
    const name = event.deviceName;
    if (name === null || name === seen.name || seen.otherNames?.has(name)) return;
    if (seen.name === null) seen.name = detached(name);
    else (seen.otherNames ??= new Set()).add(detached(name));
    if (seen.name !== name) this.rows++;
  }

  /** One set-based update with the staging path's semantics (updateDeviceSightings); EventKeys made the rows. */
  async upsert(client: pg.PoolClient): Promise<void> {
    if (this.byDevice.size === 0) return;
    const ids: string[] = [];
    const names: (string | null)[] = [];
    const firsts: string[] = [];
    const lasts: string[] = [];
    for (const [id, seen] of this.byDevice) {
      for (const name of [seen.name, ...(seen.otherNames ?? [])]) {
        ids.push(id);
        names.push(name);
        firsts.push(seen.first);
        lasts.push(seen.last);
      }
    }
    await client.query(
      updateDeviceSightings(`SELECT device_id, max(device_name) AS device_name, min(first_seen) AS first_seen,
         max(last_seen) AS last_seen
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS seen(device_id, device_name, first_seen, last_seen)
       GROUP BY device_id`),
      [ids, names, firsts, lasts],
    );
  }
}

/**
 * A copy of `text` that does not keep its source alive: V8 represents a slice or a concatenation by reference to
 * the strings it came from, so a device id kept as is would pin a whole 32 KiB piece of the input. Slicing a fresh
 * concatenation flattens it into a new string first.
 */
function detached(text: string): string {
  return (' ' + text).slice(1);
}
