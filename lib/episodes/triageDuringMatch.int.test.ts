import type { PoolClient } from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { runMatch } from '@/lib/match/runMatch';
import { addRelaysAndUsers, analyst, ingestAndMatch } from '@/lib/triage/__fixtures__/triageFixture';
import { triageHits } from '@/lib/triage/triageHits';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { triageEpisodes } from './triageEpisodes';

useTestDatabase();

// Triage and a running match both write hits and episodes (the hit triggers refresh an episode when a member hit
// changes). Taken in opposite orders — an episode triage locks the episode, then its hits; a match statement locks
// hits and its statement-level trigger then locks their episode; the episode step locks episodes, then hits — they
// deadlock, and PostgreSQL aborts one of them. These tests stop a real match run between the two halves of such a
// write (the after-match steps are the engine's extension point), start the triage, wait until it is blocked, and
// let the run go on: both must finish, the triage after the run.

let episodeId: string;
let hitIds: string[];

beforeEach(async () => {
  await resetDatabase();
  await addRelaysAndUsers();
  await ingestAndMatch(
    Array.from({ length: 4 }, (_, i) => ({
      ts: `2026-11-10T0${i}:00:00Z`,
      deviceId: 'laptop-1',
      process: 'tor.exe',
      remoteIp: '198.51.100.7',
      remotePort: 9001,
    })),
  );
  const { rows } = await getPool().query<{ episode_id: string; ids: string[] }>(
    `SELECT episode_id::text, array_agg(id::text ORDER BY id) AS ids FROM hit GROUP BY episode_id`,
  );
  expect(rows).toHaveLength(1);
  episodeId = rows[0].episode_id;
  hitIds = rows[0].ids;
});

/** Waits until another session of this database waits for a lock (the triage, blocked by the run). */
async function untilSomeoneWaits(run: PoolClient): Promise<void> {
  const runPid = (await run.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  for (let i = 0; i < 200; i++) {
    const { rows } = await getPool().query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1`,
      [runPid],
    );
    if (rows.length) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the triage never waited for the match run');
}

/** Runs a match whose after-match steps are `first`, then (once `triage` is blocked) `second`; both must succeed. */
async function matchAroundTriage(
  first: (client: PoolClient) => Promise<unknown>,
  triage: () => Promise<unknown>,
  second: (client: PoolClient) => Promise<unknown>,
) {
  let triageDone: Promise<unknown> = Promise.resolve();
  const order: string[] = [];
  // An incremental run with nothing new to match: only the steps below lock anything (a full re-match would lock
  // every existing hit in its upsert, and the triage would simply wait behind it).
  const run = runMatch({
    mode: 'incremental',
    trigger: 'test',
    afterMatch: [
      { name: 'first', run: (client) => first(client).then(() => undefined) },
      {
        name: 'triage-starts',
        run: async (client) => {
          triageDone = triage().then(() => order.push('triage'));
          await untilSomeoneWaits(client);
        },
      },
      { name: 'second', run: (client) => second(client).then(() => undefined) },
    ],
  }).then(() => order.push('match'));
  const [matchOutcome, triageOutcome] = await Promise.allSettled([run, run.then(() => triageDone)]);
  expect(matchOutcome).toEqual({ status: 'fulfilled', value: expect.any(Number) });
  expect(triageOutcome).toEqual({ status: 'fulfilled', value: expect.any(Number) });
  expect(order).toEqual(['match', 'triage']);
}

describe('triage while a match runs', () => {
  it('episode triage waits for the run instead of deadlocking with its hit writes', async () => {
    await matchAroundTriage(
      // The run has written the episode's hits (a re-match with changed evidence, a withdrawal, suppression)…
      (client) => client.query(`SELECT id FROM hit WHERE episode_id = $1 ORDER BY id FOR UPDATE`, [episodeId]),
      () => triageEpisodes(analyst, { episodeIds: [episodeId] }, { status: 'benign' }),
      // …and its statement's trigger now refreshes their episode.
      (client) => client.query(`UPDATE hit SET confidence = 'medium' WHERE episode_id = $1`, [episodeId]),
    );
    const { rows } = await getPool().query(`SELECT DISTINCT status FROM hit WHERE episode_id = $1`, [episodeId]);
    expect(rows).toEqual([{ status: 'benign' }]);
  });

  it('hit triage waits for the run instead of deadlocking with its episode step', async () => {
    await matchAroundTriage(
      // The episode step has locked the episodes it re-segments (lib/episodes/maintainEpisodes.ts)…
      (client) => client.query(`SELECT id FROM episode WHERE id = $1 FOR UPDATE`, [episodeId]),
      () => triageHits(analyst, { hitIds }, { status: 'investigating' }),
      // …and now places their hits.
      (client) => client.query(`UPDATE hit SET episode_id = $1 WHERE id = ANY($2::bigint[])`, [episodeId, hitIds]),
    );
    const { rows } = await getPool().query(`SELECT status, open_hits FROM episode WHERE id = $1`, [episodeId]);
    expect(rows).toEqual([{ status: 'investigating', open_hits: 4 }]);
  });
});
