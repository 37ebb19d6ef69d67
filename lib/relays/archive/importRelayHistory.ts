import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { getPool } from '@/lib/db/pool';
import { sendJob } from '@/lib/jobs/sendJob';
import { CollectorBatch, type DocumentProblem } from './readCollectorDocuments';
import { storeConsensusHistory } from './storeConsensusHistory';
import { ArchiveError, tarEntries } from './tarEntries';
import { isXz, isXzDecoderError, xzDecompress } from './xzStream';

// Imports relay history (consensuses and exit lists in CollecTor's formats) from a .tar.xz or .tar archive, a single
// document, or a directory of them. One archive (or the loose documents of a directory) is one batch: streamed,
// accumulated compactly, then written in one transaction — an archive that breaks off (truncated, unreadable) adds
// nothing, and the history stored before stays as it was. These imports never become the "latest snapshot" of
// `--compat` mode (their snapshot rows have lists_or = false).

export interface HistoryImportSummary {
  source: string;
  status: 'imported' | 'failed';
  reason?: string;
  documents: number;
  consensuses: number;
  exitLists: number;
  skipped: number;
  broken: DocumentProblem[];
  rejected: number;
  rejects: DocumentProblem[];
  relays: number;
  addresses: number;
  intervalsAdded: number;
  intervalsExtended: number;
  intervalsRemoved: number;
  firstHour: Date | null;
  lastHour: Date | null;
  seconds: number;
  retroMatchQueued?: boolean;
}

export interface HistoryImportOptions {
  onProgress?: (bytes: number) => void;
  queueMatch?: boolean; // default true
}

const IMPORT_LOCK = 0x7265_6c61; // the relay import lock of importRelaySnapshot.ts: one import at a time

/** How a file starts: an xz archive, a tar archive, or a single document. */
export async function sniffFile(file: string): Promise<'xz' | 'tar' | 'document'> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, 512, 0);
    return sniff(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

function sniff(head: Buffer): 'xz' | 'tar' | 'document' {
  if (isXz(head)) return 'xz';
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  return 'document';
}

/** Imports a file or a directory: one summary per archive, plus one for a directory's loose documents. */
export async function importHistoryPath(
  target: string,
  options: HistoryImportOptions = {},
): Promise<HistoryImportSummary[]> {
  const info = await stat(target);
  if (!info.isDirectory()) return [await importHistoryFile(target, options)];
  const summaries: HistoryImportSummary[] = [];
  const loose: string[] = [];
  for (const file of await listFiles(target)) {
    if ((await sniffFile(file)) === 'document') loose.push(file);
    else summaries.push(await importHistoryFile(file, options));
  }
  if (loose.length) {
    summaries.push(
      await importHistoryBatch(
        target,
        async (batch) => {
          for (const file of loose) await batch.read(path.relative(target, file), createReadStream(file));
        },
        options,
      ),
    );
  }
  return summaries;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

export async function importHistoryFile(
  file: string,
  options: HistoryImportOptions = {},
): Promise<HistoryImportSummary> {
  const kind = await sniffFile(file);
  const bytes = createReadStream(file, { highWaterMark: 1 << 20 });
  return importHistoryStream(file, bytes, kind, options);
}

/** Imports one archive or document from a byte stream (a file, a download). */
export function importHistoryStream(
  source: string,
  bytes: Readable,
  kind: 'xz' | 'tar' | 'document',
  options: HistoryImportOptions = {},
): Promise<HistoryImportSummary> {
  if (options.onProgress) {
    let read = 0;
    bytes.on('data', (chunk: Buffer) => options.onProgress!((read += chunk.length)));
  }
  return importHistoryBatch(
    source,
    async (batch) => {
      if (kind === 'document') {
        await batch.read(path.basename(source), bytes);
        return;
      }
      const tar = kind === 'xz' ? xzDecompress(bytes) : bytes;
      for await (const entry of tarEntries(tar)) {
        if (entry.isFile) await batch.read(entry.name, entry.body);
      }
    },
    options,
  );
}

/** Imports the documents `fill` reads into one batch (one transaction). */
export async function importHistoryBatch(
  source: string,
  fill: (batch: CollectorBatch) => Promise<void>,
  options: HistoryImportOptions,
): Promise<HistoryImportSummary> {
  const started = performance.now();
  const batch = new CollectorBatch();
  const summary = (extra: Partial<HistoryImportSummary>): HistoryImportSummary => {
    const hours = [...batch.consensus.hours.keys()];
    return {
      source,
      status: 'imported',
      documents: batch.documents,
      consensuses: batch.consensuses,
      exitLists: batch.exitLists,
      skipped: batch.skipped,
      broken: batch.broken,
      rejected: batch.rejected,
      rejects: batch.rejects,
      relays: 0,
      addresses: 0,
      intervalsAdded: 0,
      intervalsExtended: 0,
      intervalsRemoved: 0,
      firstHour: hours.length ? new Date(Math.min(...hours) * 3_600_000) : null,
      lastHour: hours.length ? new Date(Math.max(...hours) * 3_600_000) : null,
      seconds: (performance.now() - started) / 1000,
      ...extra,
    };
  };
  try {
    await fill(batch);
  } catch (error) {
    const reason = readFailure(error);
    if (reason === null) throw error;
    return summary({ status: 'failed', reason: `${source}: ${reason}; nothing of it was imported` });
  }
  if (batch.consensuses === 0 && batch.exitLists === 0) {
    const why = batch.broken.length
      ? `every document was refused (first: ${batch.broken[0].document}: ${batch.broken[0].reason})`
      : batch.documents === 0
        ? 'no documents'
        : `no consensus or exit list among its ${batch.documents} document(s) (a CollecTor document starts with an @type line)`;
    return summary({ status: 'failed', reason: `${source}: ${why}` });
  }
  const client = await getPool().connect();
  let stored;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
    stored = await storeBatch(client, batch, source);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  const result = summary(stored);
  if (options.queueMatch !== false && stored.intervalsAdded + stored.intervalsExtended + stored.intervalsRemoved > 0) {
    result.retroMatchQueued = await sendJob('match', { mode: 'retro', trigger: 'relay-history' }).then(
      () => true,
      () => false,
    );
  }
  return result;
}

async function storeBatch(client: pg.PoolClient, batch: CollectorBatch, source: string) {
  const out = { relays: 0, addresses: 0, intervalsAdded: 0, intervalsExtended: 0, intervalsRemoved: 0 };
  if (batch.consensus.hours.size) {
    const hours = [...batch.consensus.hours.keys()].sort((a, b) => a - b);
    const snapshotId = await snapshotRow(client, 'archive:consensus', 'consensus', source, {
      observedAt: new Date((hours[hours.length - 1] + 1) * 3_600_000),
      digest: hours.join(','),
      relays: batch.consensus.keyCount,
      rejected: batch.rejected,
    });
    const result = await storeConsensusHistory(client, batch.consensus, snapshotId);
    await client.query('UPDATE relay_snapshot SET relay_count = $2, address_count = $3 WHERE id = $1', [
      snapshotId,
      result.relays,
      result.addresses,
    ]);
    out.relays += result.relays;
    out.addresses += result.addresses;
    out.intervalsAdded += result.added;
    out.intervalsExtended += result.extended;
    out.intervalsRemoved += result.removed;
  }
  if (batch.exitLists) {
    const snapshotId = await snapshotRow(client, 'archive:exit-list', 'exit-list', source, {
      observedAt: new Date(batch.exits.latestScan),
      digest: `${batch.exits.documents}:${batch.exits.addressCount}`,
      relays: batch.exits.relayCount,
      rejected: 0,
    });
    await client.query('UPDATE relay_snapshot SET address_count = $2 WHERE id = $1', [
      snapshotId,
      batch.exits.addressCount,
    ]);
    const result = await batch.exits.store(client, snapshotId);
    out.relays += batch.exits.relayCount;
    out.addresses += batch.exits.addressCount;
    out.intervalsAdded += result.added;
    out.intervalsExtended += result.extended;
  }
  return out;
}

async function snapshotRow(
  client: pg.PoolClient,
  feedName: string,
  format: string,
  source: string,
  row: { observedAt: Date; digest: string; relays: number; rejected: number },
): Promise<number> {
  const feed = await client.query<{ id: number }>(
    `INSERT INTO relay_feed (name, format) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [feedName, format],
  );
  const feedId = feed.rows[0].id;
  const sha256 = createHash('sha256').update(`${source}\n${row.digest}`).digest('hex');
  const snapshot = await client.query<{ id: number }>(
    `INSERT INTO relay_snapshot (feed_id, format, source, observed_at, sha256, relay_count, address_count, rejected_count, lists_or)
     VALUES ($1, $2, $3, $4, $5, $6, 0, $7, false)
     ON CONFLICT (feed_id, sha256, observed_at) DO UPDATE SET imported_at = now()
     RETURNING id`,
    [feedId, format, source, row.observedAt, sha256, row.relays, row.rejected],
  );
  const snapshotId = snapshot.rows[0].id;
  await client.query(
    `UPDATE relay_feed SET last_status = 'ok', last_error = NULL, last_fetch_at = now(), last_success_at = now(),
                           last_snapshot_id = $2 WHERE id = $1`,
    [feedId, snapshotId],
  );
  return snapshotId;
}

/** A user-facing reason for a failed read (truncated archive, corrupt xz, broken connection), or null for a bug. */
function readFailure(error: unknown): string | null {
  if (error instanceof ArchiveError) return error.message;
  const message = (error as Error)?.message ?? String(error);
  const code = (error as NodeJS.ErrnoException)?.code;
  if ((error as Error)?.name === 'DownloadError') return message;
  if (isXzDecoderError(error)) return `the .xz data is corrupt or truncated (${message}): download it again`;
  if (code && /^(E[A-Z]+|UND_ERR\w*|ABORT_ERR)$/.test(code)) return `reading failed (${message})`;
  if ((error as Error)?.name === 'AbortError' || (error as Error)?.name === 'TimeoutError') return message;
  return null;
}
