import v8 from 'node:v8';

// Where an ingest's memory went (1 M-row Defender CSV through `torwatch ingest`, peak RSS 327 MB): ~85 MB is the
// process before the first row; the largest share of the rest was V8's young generation. V8 grows it whenever enough
// short-lived objects survive a scavenge, doubling each time, and a parser allocating gigabytes of strings drives it
// to its ceiling of two 64 MB semi-spaces: 128 MB resident that buy no measurable speed (the same ingest with
// --max-semi-space-size=16 took the same time). The ceiling is fixed when the process starts, but the growth factor
// is read at every resize, so a process that ingests can stop the growth where it stops paying. With chunks of
// 1,000 rows (parseTelemetry.ts) the same ingest peaks at ~170 MB, and stays there for a 3 M-row file.

/** Young generation (both semi-spaces) past which it stops growing: where the parse rate levels off. */
export const YOUNG_GENERATION_BYTES = 32 * 1024 * 1024;

/**
 * Returns a check to call as work goes on (e.g. after each chunk): once the young generation has reached
 * YOUNG_GENERATION_BYTES, V8 is told to stop growing it, for the rest of the process. For a process that does
 * nothing but ingest (the CLI), not a server: the setting is process-wide.
 */
export function capYoungGeneration(limit = YOUNG_GENERATION_BYTES): () => void {
  let capped = false;
  return () => {
    if (capped) return;
    const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (young === undefined || young.space_size < limit) return;
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    capped = true;
  };
}
