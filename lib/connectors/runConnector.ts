import type pg from 'pg';
import { getPool } from '@/lib/db/pool';
import { ConnectorError, type Connector, type RunTotals } from './types';

// One run of one connector: everything available when it starts, in as many batches as needed. At most one run per
// connector at a time across processes: a session advisory lock on (LOCK_SPACE, id), held on its own connection for
// the run (a killed process drops it). The outcome lands on the connector row (last success, last error, failures in
// a row for the backoff).

const LOCK_SPACE = 0x7043; // 'pC': connector runs

export interface RunOutcome {
  status: 'done' | 'failed' | 'busy';
  totals: RunTotals;
  /** now - newest event time brought in by any run, in ms; null before the first event. */
  lagMs: number | null;
  error?: string;
}

export async function runConnector(connector: Connector): Promise<RunOutcome> {
  const totals: RunTotals = { events: 0, inserted: 0, duplicate: 0, rejected: 0, batches: 0 };
  const lock = await getPool().connect();
  try {
    const { rows } = await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [
      LOCK_SPACE,
      connector.id,
    ]);
    if (!rows[0].locked) return { status: 'busy', totals, lagMs: null, error: 'another run of it is in progress' };
    try {
      await getPool().query('UPDATE connector SET last_run_at = now() WHERE id = $1', [connector.id]);
      let error: string | null = null;
      try {
        await pull(connector, totals);
      } catch (caught) {
        error = describe(caught);
      }
      const outcome = await record(connector.id, error);
      return { status: error ? 'failed' : 'done', totals, lagMs: outcome, ...(error ? { error } : {}) };
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_SPACE, connector.id]);
    }
  } finally {
    lock.release();
  }
}

async function pull(connector: Connector, totals: RunTotals): Promise<void> {
  switch (connector.kind) {
    case 'zeek-folder':
      return (await import('./zeekFolder')).pullZeekFolder(connector, totals);
    case 'defender-storage':
      return (await import('./defenderStorage')).pullDefenderStorage(connector, totals);
    case 'graph-hunting':
      return (await import('./graphHunting')).pullGraphHunting(connector, totals);
  }
}

/** Stores the outcome; returns the lag in ms. */
async function record(id: number, error: string | null): Promise<number | null> {
  const db: pg.Pool = getPool();
  const { rows } = await db.query<{ lag_ms: string | null }>(
    error
      ? `UPDATE connector SET last_error = $2, last_error_at = now(), failures = failures + 1 WHERE id = $1
         RETURNING (extract(epoch FROM now() - newest_event_at) * 1000)::bigint AS lag_ms`
      : `UPDATE connector SET last_success_at = now(), failures = 0, last_error = NULL, stalled_notified_at = NULL
         WHERE id = $1 RETURNING (extract(epoch FROM now() - newest_event_at) * 1000)::bigint AS lag_ms`,
    error ? [id, error] : [id],
  );
  const lag = rows[0]?.lag_ms;
  return lag === null || lag === undefined ? null : Number(lag);
}

/** One line an admin can act on: our own errors as they are, network errors named by their cause. */
export function describe(error: unknown): string {
  if (error instanceof ConnectorError) return error.message;
  const code =
    (error as { code?: string; cause?: { code?: string } }).code ??
    (error as { cause?: { code?: string } }).cause?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS lookup failed: ${message}`;
  if (code === 'ECONNREFUSED') return `connection refused: ${message}`;
  return message;
}

/** `3s`, `12m`, `5h20m`, `2d4h`; `-` when unknown. */
export function formatLag(ms: number | null): string {
  if (ms === null) return '-';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  const d = Math.floor(h / 24);
  return `${d}d${h % 24 ? `${h % 24}h` : ''}`;
}
