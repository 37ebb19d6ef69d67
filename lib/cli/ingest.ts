import { open, type FileHandle } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ingestFile, type IngestSummary } from '@/lib/ingest/ingestFile';
import type { TelemetrySource } from '@/lib/ingest/types';
import { capYoungGeneration } from '@/lib/ingest/youngGeneration';
import { UsageError } from './errors';
import { ProgressBar } from './progressBar';
import { withDatabase } from './withDatabase';
import { env } from '@/lib/env';
import { SOURCE_CHOICES } from '@/lib/ingest/telemetrySources';

const SOURCES = SOURCE_CHOICES;

export const usage = `torwatch ingest <file…> [--source ${SOURCES.join('|')}] [--strict]`;
/** Reject lines printed per file; the Ingest page shows up to 1,000 per batch. */
const SHOWN_REJECTS = 20;
const READ_BYTES = 256 * 1024;

/**
 * Loads each file as its own batch. stdout: the reject lines shown, then `<file>: read=N inserted=N duplicate=N
 * rejected=N` (docs/architecture.md §9.1). Exit 0 when every file committed (rejects included), 1 when any was refused.
 */
export async function run(args: string[]): Promise<number> {
  const { files, source, strict } = parseIngestArgs(args);
  // This process only ingests: keep V8's young generation from growing to its 128 MB ceiling (youngGeneration.ts).
  const youngGeneration = capYoungGeneration();
  return withDatabase(async () => {
    let status = 0;
    for (const file of files) {
      const summary = await ingestOne(file, source, strict, youngGeneration);
      if (summary === null || summary.status !== 'committed') status = 1;
    }
    return status;
  });
}

export function parseIngestArgs(args: string[]): {
  files: string[];
  source: TelemetrySource | 'auto';
  strict: boolean;
} {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { source: { type: 'string' }, strict: { type: 'boolean' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const source = parsed.values.source ?? 'auto';
  if (!(SOURCES as readonly string[]).includes(source)) {
    throw new UsageError(`--source must be one of ${SOURCES.join(', ')} (got "${source}")`);
  }
  if (parsed.positionals.length === 0) throw new UsageError('no file given');
  return {
    files: parsed.positionals,
    source: source as TelemetrySource | 'auto',
    strict: parsed.values.strict ?? false,
  };
}

async function ingestOne(
  file: string,
  source: TelemetrySource | 'auto',
  strict: boolean,
  youngGeneration: () => void,
): Promise<IngestSummary | null> {
  let handle: FileHandle;
  let size: number;
  try {
    handle = await open(file, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      throw Object.assign(new Error('not a regular file'), { code: 'ENOTFILE' });
    }
    size = stat.size;
  } catch (error) {
    console.error(`torwatch ingest: ${file}: cannot read: ${describeOpenError(error)}`);
    return null;
  }
  const progress = process.stderr.isTTY ? new ProgressBar(process.stderr, file, size) : null;
  try {
    const summary = await ingestFile(fromStart(handle), {
      file,
      source,
      strict,
      via: 'cli',
      actor: process.env.USER ?? 'cli',
      reopen: () => fromStart(handle),
      onProgress: (bytes, rows) => {
        youngGeneration();
        progress?.update(bytes, rows);
      },
    });
    progress?.clear();
    report(summary);
    return summary;
  } finally {
    progress?.clear();
    await handle.close().catch(() => undefined);
  }
}

/**
 * The file from byte 0, read at explicit offsets. A direct COPY that gives way reads the file a second time: a
 * FileHandle read stream cannot serve that (destroying the first one, as stopping early does, ends the handle's use
 * for streams: "Premature close"), and opening the path again could find another file there.
 */
async function* fromStart(handle: FileHandle): AsyncGenerator<Buffer> {
  for (let position = 0; ;) {
    const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(READ_BYTES), 0, READ_BYTES, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

function report(summary: IngestSummary): void {
  const { file } = summary;
  if (env('TORWATCH_DEBUG')) {
    const how =
      summary.loader === 'direct'
        ? 'by direct COPY'
        : `through the staging table${summary.fallback ? ` (the direct COPY gave way: ${summary.fallback})` : ''}`;
    console.error(`torwatch ingest: ${file}: loaded ${how}`);
  }
  for (const reject of summary.rejects.slice(0, SHOWN_REJECTS)) {
    console.log(`${file}:${reject.line}: ${reject.field}: ${reject.reason}`);
  }
  if (summary.rejected > SHOWN_REJECTS) {
    console.error(
      `torwatch ingest: ${file}: ${summary.rejected - SHOWN_REJECTS} more rejected row(s) — see batch ${summary.batchId} on the Ingest page`,
    );
  }
  console.log(
    `${file}: read=${summary.read} inserted=${summary.inserted} duplicate=${summary.duplicate} rejected=${summary.rejected}`,
  );
  if (summary.status !== 'committed') {
    // IngestFormatError messages already start with the file name.
    const reason = summary.error?.startsWith(file) ? summary.error : `${file}: ${summary.error ?? summary.status}`;
    console.error(`torwatch ingest: ${reason} (${summary.status}, nothing committed)`);
  }
}

function describeOpenError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
    case 'ENOTFILE':
      return 'not a regular file';
    default:
      return (error as Error).message;
  }
}
