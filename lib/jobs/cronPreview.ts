import { PgBoss } from 'pg-boss';

// Cron expressions as pg-boss reads them (UTC), without a database: pg-boss's own parser validates and previews,
// so what an admin saves is exactly what the worker will run.
let previewer: PgBoss | null = null;

function boss(): PgBoss {
  // Never started: previewSchedule() with an explicit `from` needs no connection.
  previewer ??= new PgBoss({ connectionString: 'postgresql://preview@127.0.0.1:1/preview' });
  return previewer;
}

/** The next `count` times a cron expression fires after `from` (UTC). Throws on an invalid expression. */
export function nextRuns(cron: string, count = 1, from = new Date()): Date[] {
  return boss().previewSchedule(cron, { from, count, tz: 'UTC' });
}

/** Null when pg-boss accepts the expression, else why not (e.g. "Constraint error, got value 61 expected range 0-59"). */
export function cronError(cron: string): string | null {
  if (cron.trim().split(/\s+/).length < 5)
    return 'a cron expression has five fields: minute hour day-of-month month day-of-week';
  try {
    nextRuns(cron);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
