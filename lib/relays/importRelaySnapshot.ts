import { createHash } from 'node:crypto';
import type pg from 'pg';
import { Rollback, withTransaction } from '@/lib/db/withTransaction';
import { sendJob } from '@/lib/jobs/sendJob';
import { parseRelayDocument } from './parseRelayDocument';
import { markFeedUnchanged } from './relayFeeds';
import { applyIntervals, insertSnapshotEntries, pruneSnapshotEntries, stageObservations } from './relayIntervals';
import { RelayFormatError, type ParsedRelayDocument, type RelayFormat, type RelayReject } from './types';
import { upsertRelays } from './upsertRelays';

// The relay snapshot store: one import = one snapshot, in one transaction, or nothing at all (keep-last-good).

export interface RelayImportOptions {
  source: string; // URL or file name, prefixed to parse errors
  format?: RelayFormat | 'auto';
  observedAt?: Date; // when the list was true; default: the document's published time, else now
  force?: boolean; // import even when implausibly small next to the feed's previous snapshot
  feedName?: string; // default 'import:<format>'
}

export interface RelayImportResult {
  status: 'imported' | 'unchanged' | 'refused';
  reason?: string;
  snapshotId?: number;
  format: RelayFormat | null; // null only when a document of unknown format was refused
  relays: number;
  addresses: number;
  rejected: number;
  rejects: RelayReject[]; // the first 1000
  intervalsAdded: number;
  intervalsExtended: number;
  retroMatchQueued?: boolean;
}

// A global lock: imports of different feeds touch the same intervals, so they run one at a time.
const IMPORT_LOCK = 0x7265_6c61; // 'rela'

export async function importRelaySnapshot(input: Buffer, options: RelayImportOptions): Promise<RelayImportResult> {
  const explicitFormat = options.format && options.format !== 'auto' ? options.format : null;
  let document: ParsedRelayDocument;
  try {
    document = parseRelayDocument(input, { format: options.format, name: options.source });
  } catch (error) {
    if (!(error instanceof RelayFormatError)) throw error;
    return refuse(
      options.feedName ?? (explicitFormat ? `import:${explicitFormat}` : null),
      explicitFormat,
      'failed',
      error.message,
    );
  }
  const feedName = options.feedName ?? `import:${document.format}`;
  const counts = {
    format: document.format,
    relays: document.relays.length,
    addresses: document.addresses.length,
    rejected: document.rejectCount,
    rejects: document.rejects,
  };
  if (document.addresses.length === 0) {
    const first = document.rejects[0];
    const example = first ? ` (first: ${first.line ? `line ${first.line}: ` : ''}${first.field}: ${first.reason})` : '';
    const reason = `${options.source}: no usable relay address — all ${document.rowsRead} records were rejected${example}`;
    return { ...(await refuse(feedName, document.format, 'failed', reason)), ...counts };
  }

  const observedAt = options.observedAt ?? document.publishedAt ?? new Date();
  const sha256 = createHash('sha256').update(input).digest('hex');
  const outcome = await withTransaction<RelayImportResult>(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
    const feed = await client.query<{ id: number }>(
      `INSERT INTO relay_feed (name, format) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [feedName, document.format],
    );
    const stored = await store(client, document, { ...options, feedId: feed.rows[0].id, feedName, observedAt, sha256 });
    return stored.status === 'imported' ? stored : new Rollback(stored);
  });
  if (outcome.status === 'unchanged') await markFeedUnchanged(feedName, document.format, 'not_modified', null);
  if (outcome.status === 'refused')
    await markFeedUnchanged(feedName, document.format, 'refused', outcome.reason ?? null);
  if (outcome.intervalsAdded + outcome.intervalsExtended > 0) {
    outcome.retroMatchQueued = await sendJob('match', { mode: 'retro', trigger: 'relays' }).then(
      () => true,
      () => false,
    );
  }
  return outcome;
}

interface StoreContext extends RelayImportOptions {
  feedId: number;
  feedName: string;
  observedAt: Date;
  sha256: string;
}

async function store(
  client: pg.PoolClient,
  document: ParsedRelayDocument,
  context: StoreContext,
): Promise<RelayImportResult> {
  const result: RelayImportResult = {
    status: 'imported',
    format: document.format,
    relays: document.relays.length,
    addresses: document.addresses.length,
    rejected: document.rejectCount,
    rejects: document.rejects,
    intervalsAdded: 0,
    intervalsExtended: 0,
  };
  const duplicate = await client.query<{ id: number }>(
    'SELECT id FROM relay_snapshot WHERE feed_id = $1 AND sha256 = $2 AND observed_at = $3',
    [context.feedId, context.sha256, context.observedAt],
  );
  if (duplicate.rows.length) return { ...result, status: 'unchanged', snapshotId: duplicate.rows[0].id };

  const size = plausibilityMeasure(document.format, result.relays, result.addresses);
  const previous = await client.query<{ relay_count: number; address_count: number; observed_at: Date }>(
    'SELECT relay_count, address_count, observed_at FROM relay_snapshot WHERE feed_id = $1 ORDER BY observed_at DESC, id DESC LIMIT 1',
    [context.feedId],
  );
  if (previous.rows.length && !context.force) {
    const before = plausibilityMeasure(document.format, previous.rows[0].relay_count, previous.rows[0].address_count);
    if (size * 2 < before) {
      const unit = document.format === 'bulk-exit-list' ? 'addresses' : 'relays';
      return {
        ...result,
        status: 'refused',
        reason:
          `${context.source}: implausible: ${size} ${unit}, under half of the ${before} in feed ` +
          `${context.feedName}'s previous snapshot (${previous.rows[0].observed_at.toISOString()}); kept the previous data ` +
          '(use --force to import it anyway)',
      };
    }
  }

  const newest = await client.query('SELECT 1 FROM relay_snapshot WHERE observed_at > $1 LIMIT 1', [
    context.observedAt,
  ]);
  const snapshot = await client.query<{ id: number }>(
    `INSERT INTO relay_snapshot (feed_id, format, source, observed_at, published_at, sha256, relay_count, address_count,
                                 rejected_count, lists_or, forced)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      context.feedId,
      document.format,
      context.source,
      context.observedAt,
      document.publishedAt,
      context.sha256,
      result.relays,
      result.addresses,
      result.rejected,
      document.format === 'torrelayips-csv' || document.format === 'onionoo',
      Boolean(context.force),
    ],
  );
  const snapshotId = snapshot.rows[0].id;
  await stageObservations(client, document, context.observedAt);
  const changes = await applyIntervals(client, snapshotId);
  await insertSnapshotEntries(client, snapshotId);
  await upsertRelays(client, document.relays, newest.rows.length === 0);
  await pruneSnapshotEntries(client, context.feedId);
  await client.query(
    `UPDATE relay_feed SET last_status = 'ok', last_error = NULL, last_fetch_at = now(), last_success_at = now(),
                           last_snapshot_id = $2
     WHERE id = $1`,
    [context.feedId, snapshotId],
  );
  return { ...result, snapshotId, intervalsAdded: changes.added, intervalsExtended: changes.extended };
}

/** Relays name the size of a feed; the bulk exit list names no relay, so its addresses do. */
function plausibilityMeasure(format: RelayFormat, relays: number, addresses: number): number {
  return format === 'bulk-exit-list' ? addresses : relays;
}

async function refuse(
  feedName: string | null,
  format: RelayFormat | null,
  status: 'failed' | 'refused',
  reason: string,
): Promise<RelayImportResult> {
  if (feedName) await markFeedUnchanged(feedName, format, status, reason);
  return {
    status: 'refused',
    reason,
    format,
    relays: 0,
    addresses: 0,
    rejected: 0,
    rejects: [],
    intervalsAdded: 0,
    intervalsExtended: 0,
  };
}
