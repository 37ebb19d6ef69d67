import type { IngestSummary } from '@/lib/ingest/ingestFile';

export interface UploadOutcome {
  httpStatus: number;
  summary: IngestSummary | null;
  error: string | null;
}

/**
 * POSTs one file raw to /api/upload with XMLHttpRequest (fetch has no upload progress), streaming from disk; the
 * server streams it into one batch. `onProgress` gets bytes sent of total.
 */
export function uploadFile(
  file: File,
  options: { source: string; strict: boolean },
  onProgress: (sent: number, total: number) => void,
): Promise<UploadOutcome> {
  const params = new URLSearchParams({ file: file.name, source: options.source });
  if (options.strict) params.set('strict', '1');
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/upload?${params}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      const body = xhr.response as (IngestSummary & { error?: string }) | { error?: string } | null;
      const summary = body && 'batchId' in body ? (body as IngestSummary) : null;
      resolve({
        httpStatus: xhr.status,
        summary,
        error: summary?.error ?? body?.error ?? (xhr.status >= 400 ? `HTTP ${xhr.status}` : null),
      });
    };
    xhr.onerror = () =>
      resolve({ httpStatus: 0, summary: null, error: 'the connection failed before the server answered' });
    xhr.send(file);
  });
}
