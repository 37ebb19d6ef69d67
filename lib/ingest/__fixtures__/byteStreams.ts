/** A text as an upload arrives: in pieces of `pieceSize` bytes. */
export async function* bytes(text: string, pieceSize = 8192): AsyncGenerator<Buffer> {
  const buffer = Buffer.from(text);
  for (let i = 0; i < buffer.length; i += pieceSize) yield buffer.subarray(i, i + pieceSize);
}

/** The same, but the connection drops once more than half of it was sent. */
export async function* failingHalfway(text: string): AsyncGenerator<Buffer> {
  let sent = 0;
  for await (const piece of bytes(text)) {
    yield piece;
    sent += piece.length;
    if (sent > text.length / 2) throw new Error('connection reset by peer');
  }
}
