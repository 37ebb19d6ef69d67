import { getPrisma } from '@/lib/db/client';
import { cronError } from './cronPreview';
import { env } from '@/lib/env';
import { ALL_QUEUES } from './queues';
import { withShortLivedBoss } from './withShortLivedBoss';

export class ScheduleError extends Error {}

/**
 * Saves a queue's cron (setting `schedule.<queue>` = { cron }, null = never) and applies it at once: pg-boss keeps
 * schedules in its own table, which the running worker's cron pass reads, so no restart is needed.
 * Returns whether it was applied now (false: pg-boss not installed yet — registerSchedules applies it at next start).
 */
export async function applySchedule(queue: string, cron: string | null, updatedBy: string | null): Promise<boolean> {
  const definition = ALL_QUEUES.find((candidate) => candidate.name === queue);
  if (!definition) throw new ScheduleError(`unknown queue "${queue}"`);
  const expression = cron?.trim() || null;
  if (expression) {
    const problem = cronError(expression);
    if (problem) throw new ScheduleError(`"${expression}" is not a valid cron expression: ${problem}`);
  }
  await getPrisma().setting.upsert({
    where: { key: `schedule.${queue}` },
    create: { key: `schedule.${queue}`, value: { cron: expression }, updatedBy },
    update: { value: { cron: expression }, updatedBy, updatedAt: new Date() },
  });
  if (!env('DATABASE_URL')) return false;
  try {
    await withShortLivedBoss(
      async (boss) => {
        if (expression) await boss.schedule(queue, expression, { trigger: 'schedule' }, { tz: 'UTC' });
        else await boss.unschedule(queue);
      },
      { migrate: false },
    );
    return true;
  } catch {
    return false;
  }
}
