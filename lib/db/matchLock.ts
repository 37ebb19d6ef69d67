import type pg from 'pg';
import { withTransaction } from './withTransaction';

// One lock orders every writer of hits and episodes (docs/architecture.md §7.7, "Locks"). A match run (and an episode
// rebuild) holds it exclusively for its whole transaction; triage — of hits, of episodes, by suppression rules —
// holds it shared. Their row locks come in opposite orders (a match statement locks hits and its trigger then their
// episode; the episode step locks episodes, then hits; an episode triage locks the episode, then its hits), so
// without it they can deadlock and PostgreSQL aborts one. Triage only waits for a running match; triages run side
// by side.
const MATCH_LOCK = 'torwatch:match';

/** The match run's exclusive hold, until its transaction ends. */
export async function takeMatchLock(client: Pick<pg.ClientBase, 'query'>): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MATCH_LOCK]);
}

/** Runs `work` in a transaction that holds the match lock shared: it waits for a running match, never for a triage. */
export function withTriageLock<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [MATCH_LOCK]);
    return work(client);
  });
}
