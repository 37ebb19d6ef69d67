import {
  AnonymousCredential,
  type BlobClient,
  BlobServiceClient,
  ContainerClient,
  newPipeline,
  RestError,
  StorageSharedKeyCredential,
  type Pipeline,
  type StoragePipelineOptions,
} from '@azure/storage-blob';
import { blobEndpointOf } from './addConnector';
import { guardedStoragePolicy } from './outbound';
import { loadCursors, pruneCursors, type CursorValue } from './connectorStore';
import { countNewlines, ingestPiece, WholeLines } from './ingestPiece';
import { getSecret, secretName } from './secrets';
import {
  ConnectorError,
  DEFENDER_CONTAINER_PREFIX,
  type Connector,
  type DefenderStorageConfig,
  type RunTotals,
} from './types';

// Defender's Streaming API → Azure Storage: one container per table (`insights-logs-advancedhunting-<table>`), hourly
// append blobs below it (`tenantId=…/y=…/m=…/d=…/h=…/m=00/PT1H.json`), one JSON record per line, appended to during
// their hour. Blobs are found by listing (no path is assumed below the container); each has a cursor (bytes consumed,
// ETag and length when read); a run reads every blob whose length passed its cursor — however old its hour — from the
// cursor to the last complete line. A record cut between two appends waits for the append that completes it.

interface BlobCursor extends CursorValue {
  offset: number;
  etag: string;
  /** Lines before `offset` (rejects are numbered from the blob's first line); absent in cursors written before. */
  lines?: number;
}

/** A cursor whose blob is gone (deleted by a lifecycle rule) is kept this long after its last change. */
const KEEP_GONE_MS = 24 * 3_600_000;

const PIPELINE: StoragePipelineOptions = {
  // One clear error soon rather than the SDK's default minutes of retries; the schedule retries with backoff.
  retryOptions: { maxTries: 2, retryDelayInMs: 1000, maxRetryDelayInMs: 5000, tryTimeoutInMs: 120_000 },
};

export async function pullDefenderStorage(connector: Connector, totals: RunTotals): Promise<void> {
  const config = connector.config as DefenderStorageConfig;
  const containers = await openContainers(connector.id, config);
  const cursors = (await loadCursors(connector.id)) as Map<string, BlobCursor>;
  const present: string[] = [];
  for (const container of containers) {
    try {
      for await (const blob of container.listBlobsFlat()) {
        const length = blob.properties.contentLength ?? 0;
        const key = `${container.containerName}/${blob.name}`;
        present.push(key);
        const cursor = cursors.get(key);
        // A blob shorter than its cursor was deleted and written anew: read from its start (dedupe keeps it once).
        const start = cursor && cursor.offset <= length ? cursor.offset : 0;
        if (start >= length) continue;
        const client = container.getBlobClient(blob.name);
        const linesBefore = start === 0 ? 0 : (cursor?.lines ?? (await linesUpTo(client, start)));
        const lines = new WholeLines();
        const body = () => download(client, start, length - start);
        await ingestPiece(
          connector,
          {
            file: `${key}@${start}`,
            source: 'defender-stream',
            input: lines.through(body()),
            reopen: () => download(client, start, lines.consumed()),
            linesBefore,
            cursor: () => {
              const value: BlobCursor = {
                offset: start + lines.consumed(),
                etag: blob.properties.etag ?? '',
                lines: linesBefore + lines.lines(),
              };
              cursors.set(key, value);
              return { set: { [key]: value } };
            },
          },
          totals,
        );
      }
    } catch (error) {
      throw storageError(error, container.containerName);
    }
  }
  // Every container was listed to its end: the cursors of blobs no longer there can go (§6.5.3).
  await pruneCursors(connector.id, present, KEEP_GONE_MS);
}

/** Lines in the blob's first `bytes` (a cursor written before cursors counted lines). */
async function linesUpTo(client: BlobClient, bytes: number): Promise<number> {
  let count = 0;
  for await (const chunk of download(client, 0, bytes)) count += countNewlines(chunk);
  return count;
}

async function* download(client: BlobClient, offset: number, count: number): AsyncGenerator<Buffer> {
  if (count <= 0) return;
  const response = await client.download(offset, count);
  yield* response.readableStreamBody as AsyncIterable<Buffer>;
}

/** The containers to read: those named (each must exist), else every Defender container there is. */
async function openContainers(connectorId: number, config: DefenderStorageConfig): Promise<ContainerClient[]> {
  const secret = await getSecret(secretName(connectorId, config.auth));
  if (!secret) throw new ConnectorError(`the ${config.auth.replace('-', ' ')} is missing from the secret store`);
  try {
    if (config.auth === 'sas-url') {
      const url = new URL(secret);
      if (url.searchParams.get('sr') === 'c') {
        // A container SAS reaches that one container.
        const container = new ContainerClient(secret, pipeline(new AnonymousCredential()));
        if (config.containers.length > 0 && !config.containers.includes(container.containerName))
          throw new ConnectorError(
            `the SAS URL is for container ${container.containerName}, not ${config.containers.join(', ')}`,
          );
        if (!(await container.exists()))
          throw new ConnectorError(`container ${container.containerName} does not exist`);
        return [container];
      }
      return await fromService(new BlobServiceClient(secret, pipeline(new AnonymousCredential())), config);
    }
    return await fromService(fromConnectionString(secret), config);
  } catch (error) {
    throw storageError(error, null);
  }
}

/** The SDK's pipeline with every request through the outbound guard. */
function pipeline(credential: StorageSharedKeyCredential | AnonymousCredential): Pipeline {
  const built = newPipeline(credential, PIPELINE);
  built.factories.unshift(guardedStoragePolicy as unknown as Pipeline['factories'][number]);
  return built;
}

/** AccountName + AccountKey (+ BlobEndpoint), or BlobEndpoint + SharedAccessSignature. */
function fromConnectionString(connectionString: string): BlobServiceClient {
  const parts = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) parts.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  const endpoint = blobEndpointOf(connectionString);
  const sas = parts.get('sharedaccesssignature');
  if (endpoint && sas)
    return new BlobServiceClient(`${endpoint}?${sas.replace(/^\?/, '')}`, pipeline(new AnonymousCredential()));
  const account = parts.get('accountname');
  const key = parts.get('accountkey');
  if (!endpoint || !account || !key)
    throw new ConnectorError(
      'the connection string needs AccountName and AccountKey (or BlobEndpoint and SharedAccessSignature)',
    );
  return new BlobServiceClient(endpoint, pipeline(new StorageSharedKeyCredential(account, key)));
}

async function fromService(service: BlobServiceClient, config: DefenderStorageConfig): Promise<ContainerClient[]> {
  if (config.containers.length > 0) {
    const clients = config.containers.map((name) => service.getContainerClient(name));
    for (const client of clients)
      if (!(await client.exists())) throw new ConnectorError(`container ${client.containerName} does not exist`);
    return clients;
  }
  const found: ContainerClient[] = [];
  for await (const container of service.listContainers({ prefix: DEFENDER_CONTAINER_PREFIX }))
    found.push(service.getContainerClient(container.name));
  return found;
}

/** One line for the admin: what failed and what to check. */
function storageError(error: unknown, container: string | null): Error {
  if (error instanceof ConnectorError) return error;
  const where = container ? `container ${container}: ` : '';
  if (error instanceof RestError) {
    const code = (error.code ?? '') as string;
    if (error.statusCode === 403) {
      if (/expir/i.test(error.message) || (code === 'AuthenticationFailed' && /Signed expiry/i.test(error.message)))
        return new ConnectorError(`${where}the SAS has expired (403): create a new SAS URL`);
      return new ConnectorError(
        `${where}access denied (403 ${code || 'AuthorizationFailure'}): check the account key or SAS (read and list permissions)`,
      );
    }
    if (error.statusCode === 404 || code === 'ContainerNotFound')
      return new ConnectorError(`${where}not found (404 ${code})`);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      return new ConnectorError(`DNS lookup failed for the storage account: ${error.message}`);
    if (code === 'ECONNREFUSED')
      return new ConnectorError(`the storage endpoint refused the connection: ${error.message}`);
    return new ConnectorError(
      `${where}storage error ${error.statusCode ?? ''} ${code}: ${error.message.split('\n')[0]}`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
