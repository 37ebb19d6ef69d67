import { env } from '@/lib/env';

// At most TORWATCH_MAX_CONCURRENT_INGESTS (default 4) ingests at once in this server process: telemetry and relay
// uploads over the web take a slot; one more is answered 429 with Retry-After instead of queueing on memory.
// Kept on globalThis so that every bundle of the route handlers shares one count.

const state = globalThis as unknown as { torwatchIngestSlots?: { busy: number } };

export const RETRY_AFTER_SECONDS = 30;

export function maxConcurrentIngests(): number {
  return env('TORWATCH_MAX_CONCURRENT_INGESTS');
}

/** A release function, or null when every slot is taken. */
export function takeIngestSlot(): (() => void) | null {
  const slots = (state.torwatchIngestSlots ??= { busy: 0 });
  if (slots.busy >= maxConcurrentIngests()) return null;
  slots.busy++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    slots.busy--;
  };
}

/** The 429 for a request that found no free slot. */
export function busyResponse(): Response {
  return Response.json(
    {
      error: `the server is already running ${maxConcurrentIngests()} ingests (TORWATCH_MAX_CONCURRENT_INGESTS); try again in ${RETRY_AFTER_SECONDS} s`,
    },
    { status: 429, headers: { 'retry-after': String(RETRY_AFTER_SECONDS), 'cache-control': 'no-store' } },
  );
}

/** Runs `work` in a slot, or answers 429 when none is free. */
export async function withIngestSlot(work: () => Promise<Response>): Promise<Response> {
  const release = takeIngestSlot();
  if (!release) return busyResponse();
  try {
    return await work();
  } finally {
    release();
  }
}
