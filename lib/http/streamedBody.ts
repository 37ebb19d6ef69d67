/**
 * A response body fed by `produce`, with backpressure: each write waits while the client is slow to read (a
 * TransformStream's writer is ready only when the reader has room). A failure after the headers are sent can only
 * cut the body short: it is logged with `label` and the stream aborted, so the client sees an incomplete download.
 */
export function streamedBody(
  label: string,
  produce: (write: (chunk: string) => Promise<void>) => Promise<unknown>,
): ReadableStream<Uint8Array> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  produce(async (chunk) => {
    await writer.ready;
    await writer.write(encoder.encode(chunk));
  })
    .then(
      () => writer.close(),
      (error) => {
        console.error(`${label} failed`, error);
        return writer.abort(new Error(`${label} failed`));
      },
    )
    .catch(() => {});
  return readable;
}
