import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { loadCursors, pruneCursors, type CursorChange, type CursorValue } from './connectorStore';
import { countNewlines, ingestPiece, WholeLines } from './ingestPiece';
import { ConnectorError, type Connector, type RunTotals, type ZeekFolderConfig } from './types';

// Zeek log folders: the live conn.log, the rotated `conn.YYYY-MM-DD-hh:mm:ss.log[.gz]` beside it, and dated folders
// below it (`2026-11-30/conn.00:00:00-01:00:00.log.gz`), TSV or JSON. Each file has a cursor keyed by its identity
// (device:inode) holding the bytes consumed and a fingerprint (sha256 of its first bytes), so:
// - appended lines are read once, a partial last line waits for its newline;
// - rotation by rename keeps the inode, so the cursor follows the file under its new name;
// - a compressed rotated copy (new inode) whose first bytes match a cursor's fingerprint carries on from that
//   cursor's offset in the decompressed text, and takes the cursor over;
// - a file shorter than its cursor (truncated) or whose first bytes changed (rewritten) is read again from its
//   start — the event identity (device, uid, ts) keeps what was already stored from counting twice;
// - a cursor whose file has left the folder (expired by Zeek's log expiry, moved away) is deleted once it has not moved
//   for KEEP_GONE_HOURS, so the cursor table does not grow with every hourly file (§6.5.3); by then the compressed copy
//   that could take it over, if any, has been read.

const FINGERPRINT_BYTES = 1024;
const READ_BYTES = 256 * 1024;
const CONN_LOG = /^conn(\..+)?\.log(\.gz)?$/;
/** A cursor whose file is gone is kept this long after its last change (a compressed copy may still appear). */
export const KEEP_GONE_HOURS = 24;

interface ZeekCursor extends CursorValue {
  path: string;
  /** Bytes of (decompressed) text consumed. */
  offset: number;
  fingerprint: string;
  fingerprintBytes: number;
  /** Bytes of leading `#` directive lines (TSV): sent again before the text read from a later offset. */
  headerBytes: number;
  /** Lines of text before `offset` (rejects are numbered from the file's first line, §6.5); absent in older cursors. */
  lines?: number;
  /** A .gz file read to its end: its size and mtime, to pass it over without decompressing it again. */
  gzSize?: number;
  gzMtime?: number;
}

interface Found {
  path: string;
  key: string;
  size: number;
  mtimeMs: number;
  gz: boolean;
}

export async function pullZeekFolder(connector: Connector, totals: RunTotals): Promise<void> {
  const { path: dir } = connector.config as ZeekFolderConfig;
  const files = await findLogs(dir);
  const cursors = (await loadCursors(connector.id)) as Map<string, ZeekCursor>;
  const present = new Set(files.map((f) => f.key));
  for (const file of files) {
    const cursor = cursors.get(file.key);
    if (file.gz) {
      if (cursor && cursor.gzSize === file.size && cursor.gzMtime === file.mtimeMs) continue;
      const head = await firstBytes(gunzipped(file.path), FINGERPRINT_BYTES);
      // The rotated copy of a file whose cursor is still here (its inode gone): carry on where that one stopped.
      // (Its inode may already serve a new conn.log, which then has another fingerprint: that cursor is taken over
      // only when its file is gone.)
      const [previousKey, previous] = takeOver(cursors, head, () => false) ?? [null, null];
      const start = previous?.offset ?? 0;
      const removed = previousKey !== null && !present.has(previousKey) ? previousKey : null;
      const known = { headerBytes: previous?.headerBytes ?? null, lines: previous?.lines ?? null };
      await pullFile(connector, totals, file, start, head, known, removed, cursors);
      continue;
    }
    const head = await readRange(file.path, 0, Math.min(FINGERPRINT_BYTES, file.size));
    let previousKey: string | null = null;
    let from: ZeekCursor | null = null;
    if (cursor && file.size >= cursor.offset && sameStart(head, cursor)) {
      from = cursor;
    } else if (!cursor) {
      const taken = takeOver(cursors, head, (key) => key === file.key || present.has(key));
      if (taken && file.size >= taken[1].offset) [previousKey, from] = taken;
    }
    const start = from?.offset ?? 0;
    if (start === file.size && cursor?.offset === start && cursor.path === file.path) continue;
    const known = { headerBytes: from?.headerBytes ?? null, lines: from?.lines ?? null };
    await pullFile(connector, totals, file, start, head, known, previousKey, cursors);
  }
  await pruneCursors(connector.id, [...present], KEEP_GONE_HOURS * 3_600_000);
}

async function pullFile(
  connector: Connector,
  totals: RunTotals,
  file: Found,
  start: number,
  head: Buffer,
  known: { headerBytes: number | null; lines: number | null },
  previousKey: string | null,
  cursors: Map<string, ZeekCursor>,
): Promise<void> {
  const headerBytes = known.headerBytes ?? (await directiveBytes(file));
  const header = start > 0 && headerBytes > 0 ? await readHeader(file, headerBytes) : null;
  const linesBefore = start === 0 ? 0 : (known.lines ?? (await linesUpTo(file, start)));
  const lines = new WholeLines(file.gz);
  const body = file.gz ? skip(gunzipped(file.path), start) : fileRange(file.path, start, file.size);
  const cursor = (): CursorChange => {
    const value: ZeekCursor = {
      path: file.path,
      offset: start + lines.consumed(),
      fingerprint: sha256(head),
      fingerprintBytes: head.length,
      headerBytes,
      lines: linesBefore + lines.lines(),
      ...(file.gz ? { gzSize: file.size, gzMtime: file.mtimeMs } : {}),
    };
    cursors.set(file.key, value);
    if (previousKey) cursors.delete(previousKey);
    return { set: { [file.key]: value }, ...(previousKey ? { remove: [previousKey] } : {}) };
  };
  // Read again (the direct COPY gave way): the same header and exactly the bytes passed the first time.
  const reopen = () => {
    const end = start + lines.consumed();
    const again = file.gz ? take(skip(gunzipped(file.path), start), end - start) : fileRange(file.path, start, end);
    return withHeader(header, again);
  };
  await ingestPiece(
    connector,
    {
      file: `${file.path}@${start}`,
      source: 'zeek-conn',
      input: withHeader(header, lines.through(body)),
      cursor,
      reopen,
      // The piece's text starts with the header again: its lines are among those before the piece already.
      linesBefore: linesBefore - (header ? countNewlines(header) : 0),
    },
    totals,
  );
}

/** conn logs in the folder and in its subfolders one level down (dated folders), oldest first. */
async function findLogs(dir: string): Promise<Found[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConnectorError(
      code === 'ENOENT' ? `folder ${dir} does not exist` : `cannot read folder ${dir}: ${(error as Error).message}`,
    );
  }
  const paths: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && CONN_LOG.test(entry.name)) paths.push(full);
    else if (entry.isDirectory()) {
      const inner = await readdir(full, { withFileTypes: true }).catch(() => []);
      for (const child of inner)
        if (child.isFile() && CONN_LOG.test(child.name)) paths.push(path.join(full, child.name));
    }
  }
  const found: Found[] = [];
  for (const file of paths) {
    const info = await stat(file, { bigint: true }).catch(() => null);
    if (!info) continue;
    found.push({
      path: file,
      key: `${info.dev}:${info.ino}`,
      size: Number(info.size),
      mtimeMs: Number(info.mtimeMs),
      gz: file.endsWith('.gz'),
    });
  }
  // Oldest first, the live file last: the rotated copy of a file is read before the file that replaced it.
  return found.sort((a, b) => a.mtimeMs - b.mtimeMs || a.path.localeCompare(b.path));
}

function sameStart(head: Buffer, cursor: ZeekCursor): boolean {
  return (
    head.length >= cursor.fingerprintBytes && sha256(head.subarray(0, cursor.fingerprintBytes)) === cursor.fingerprint
  );
}

/** A plain file's cursor (not excluded) whose first bytes this file starts with. */
function takeOver(
  cursors: Map<string, ZeekCursor>,
  head: Buffer,
  excluded: (key: string) => boolean,
): [string, ZeekCursor] | null {
  for (const [other, cursor] of cursors) {
    if (excluded(other) || cursor.gzSize !== undefined) continue;
    if (cursor.fingerprintBytes > 0 && sameStart(head, cursor)) return [other, cursor];
  }
  return null;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readRange(file: string, start: number, length: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function* fileRange(file: string, start: number, end: number): AsyncGenerator<Buffer> {
  if (end <= start) return;
  yield* createReadStream(file, { start, end: end - 1, highWaterMark: READ_BYTES }) as AsyncIterable<Buffer>;
}

async function* gunzipped(file: string): AsyncGenerator<Buffer> {
  const gunzip = createGunzip();
  const source = createReadStream(file, { highWaterMark: READ_BYTES });
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  try {
    yield* gunzip as AsyncIterable<Buffer>;
  } finally {
    source.destroy();
  }
}

async function* skip(input: AsyncIterable<Buffer>, bytes: number): AsyncGenerator<Buffer> {
  let left = bytes;
  for await (const chunk of input) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}

async function* take(input: AsyncIterable<Buffer>, bytes: number): AsyncGenerator<Buffer> {
  let left = bytes;
  for await (const chunk of input) {
    if (left <= 0) return;
    yield chunk.length <= left ? chunk : chunk.subarray(0, left);
    left -= chunk.length;
  }
}

async function firstBytes(input: AsyncIterable<Buffer>, bytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= bytes) break;
  }
  return Buffer.concat(parts).subarray(0, bytes);
}

/** Bytes of the leading `#` lines (the TSV header); 0 for JSON lines. */
async function directiveBytes(file: Found): Promise<number> {
  const head = await firstBytes(file.gz ? gunzipped(file.path) : fileRange(file.path, 0, file.size), 64 * 1024);
  let at = 0;
  while (at < head.length && head[at] === 0x23 /* # */) {
    const end = head.indexOf(0x0a, at);
    if (end === -1) break;
    at = end + 1;
  }
  return at;
}

/** Newlines in the file's (decompressed) text before byte `offset`: for cursors written before they counted lines. */
async function linesUpTo(file: Found, offset: number): Promise<number> {
  let count = 0;
  const text = file.gz ? take(gunzipped(file.path), offset) : fileRange(file.path, 0, offset);
  for await (const chunk of text) count += countNewlines(chunk);
  return count;
}

async function readHeader(file: Found, bytes: number): Promise<Buffer> {
  return firstBytes(file.gz ? gunzipped(file.path) : fileRange(file.path, 0, bytes), bytes);
}

/** The TSV header first (text read from a later offset needs the #fields line), sent only when a line follows. */
async function* withHeader(header: Buffer | null, body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let first = true;
  for await (const chunk of body) {
    if (first && header) yield header;
    first = false;
    yield chunk;
  }
}
