import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import { audit } from '@/lib/auth/audit';
import { hasRole, type Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { putSecret, deleteSecret } from '@/lib/secrets/secretStore';
import { isTimeZone } from '@/lib/time/zones';
import { parseRecipients, sendReport } from './sendReport';
import { parseSmtpUrl, SMTP_PASSWORD_SECRET, SMTP_SETTING, type StoredSmtpSettings } from './smtpSettings';

// The weekly report's schedule and SMTP settings (issue 17). The schedule lives in setting `report.schedule`; the
// worker keeps a pg-boss cron schedule for queue `report-send` in the schedule's own time zone ("Monday 08:00
// Europe/Berlin" stays 08:00 across DST). A failed send throws, so pg-boss retries it with backoff (3 retries from
// one minute); every attempt lands in the delivery log (audit log `report.sent` / `report.failed`).

export const REPORT_QUEUE = 'report-send';
export const REPORT_SCHEDULE_SETTING = 'report.schedule';

export interface ReportSchedule {
  enabled: boolean;
  recipients: string[];
  weekday: number; // 0 Sunday … 6 Saturday (cron)
  hour: number; // 0–23 in `zone`
  zone: string;
  days: number; // the period each report covers
}

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const scheduleSchema = z.object({
  enabled: z.boolean(),
  recipients: z.string().transform((text, ctx) => {
    if (!text.trim()) return [];
    try {
      return parseRecipients(text, 'recipients');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^recipients: /, '') });
      return z.NEVER;
    }
  }),
  weekday: z.coerce.number().int().min(0).max(6),
  hour: z.coerce.number().int().min(0).max(23),
  zone: z.string().refine(isTimeZone, 'not an IANA time zone'),
  days: z.coerce
    .number()
    .int()
    .refine((d) => [7, 30, 90].includes(d), 'one of 7, 30, 90'),
});

/** zod's result, or an Error that names the field ("recipients: …") — what the forms show. */
function parseOrExplain<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`${issue.path.join('.') || 'form'}: ${issue.message}`);
}

export function reportCron(schedule: ReportSchedule): string {
  return `0 ${schedule.hour} * * ${schedule.weekday}`;
}

export async function loadReportSchedule(): Promise<ReportSchedule | null> {
  const { rows } = await getPool().query<{ value: ReportSchedule }>(`SELECT value FROM setting WHERE key = $1`, [
    REPORT_SCHEDULE_SETTING,
  ]);
  return rows[0]?.value ?? null;
}

/** Creates the queue (idempotent) and sets or clears its cron schedule from the stored settings. */
async function applyToBoss(boss: PgBoss, schedule: ReportSchedule | null): Promise<void> {
  await boss.createQueue(REPORT_QUEUE, { policy: 'standard', retryLimit: 3, retryDelay: 60, retryBackoff: true });
  if (schedule?.enabled && schedule.recipients.length)
    await boss.schedule(REPORT_QUEUE, reportCron(schedule), { trigger: 'schedule' }, { tz: schedule.zone });
  else await boss.unschedule(REPORT_QUEUE);
}

/** The worker's part: queue, schedule and handler (called from lib/jobs/worker.ts). */
export async function registerReportQueue(boss: PgBoss): Promise<void> {
  await applyToBoss(boss, await loadReportSchedule());
  await boss.work<Record<string, unknown>>(REPORT_QUEUE, { batchSize: 1 }, async () => reportJob());
}

export async function reportJob(): Promise<unknown> {
  const schedule = await loadReportSchedule();
  if (!schedule?.enabled || !schedule.recipients.length) return { skipped: 'no schedule' };
  const result = await sendReport({
    to: schedule.recipients,
    days: schedule.days,
    zone: schedule.zone,
    trigger: 'schedule',
  });
  return { messageId: result.messageId, accepted: result.accepted };
}

/** Validates and stores the schedule, then applies it to pg-boss at once (the running worker's cron pass reads it). */
export async function saveReportSchedule(actor: Actor, input: Record<string, unknown>): Promise<ReportSchedule> {
  const schedule = parseOrExplain(scheduleSchema, input) as ReportSchedule;
  await getPool().query(
    `INSERT INTO setting (key, value, updated_by) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [REPORT_SCHEDULE_SETTING, JSON.stringify(schedule), actor.label],
  );
  const url = process.env.DATABASE_URL;
  if (url) {
    const { PgBoss } = await import('pg-boss');
    const boss = new PgBoss({
      connectionString: url,
      schema: 'pgboss',
      max: 1,
      supervise: false,
      schedule: false,
      migrate: false,
    });
    boss.on('error', () => {});
    try {
      await boss.start();
      await applyToBoss(boss, schedule);
    } catch {
      // pg-boss not installed yet: the worker applies the stored schedule when it starts.
    } finally {
      await boss.stop({ graceful: false, close: true }).catch(() => {});
    }
  }
  await audit(actor, 'report.schedule', REPORT_SCHEDULE_SETTING, { ...schedule });
  return schedule;
}

const smtpSchema = z.object({
  host: z
    .string()
    .trim()
    .min(1, 'required')
    .max(253)
    .regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or address'),
  port: z.coerce.number().int().min(1).max(65535),
  security: z.enum(['tls', 'starttls', 'opportunistic']),
  user: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || null),
  from: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || /^[^\s@<>]+@[^\s@<>]+$/.test(v), 'an e-mail address'),
});

/** Stores the SMTP settings; the password goes to the secret store (blank keeps it, `clearPassword` removes it). */
export async function saveSmtpSettings(
  actor: Actor,
  input: Record<string, unknown> & { password?: string; clearPassword?: boolean },
): Promise<StoredSmtpSettings> {
  const settings = parseOrExplain(smtpSchema, input) as StoredSmtpSettings;
  parseSmtpUrl(
    `smtp://${settings.host.includes(':') && !settings.host.startsWith('[') ? `[${settings.host}]` : settings.host}:${settings.port}`,
    'host',
  );
  await getPool().query(
    `INSERT INTO setting (key, value, updated_by) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [SMTP_SETTING, JSON.stringify(settings), actor.label],
  );
  if (input.clearPassword) await deleteSecret(SMTP_PASSWORD_SECRET);
  else if (input.password) await putSecret(SMTP_PASSWORD_SECRET, input.password);
  await audit(actor, 'report.smtp', SMTP_SETTING, {
    ...settings,
    password: input.clearPassword ? 'removed' : input.password ? 'replaced' : 'kept',
  });
  return settings;
}

export interface DeliveryLogEntry {
  at: string;
  action: string; // report.sent | report.failed
  target: string | null;
  actor: string;
  details: { trigger?: string; days?: number; error?: string; response?: string; subject?: string } | null;
}

/** The delivery log: the last report attempts from the audit log. Admins only (it names recipients). */
export async function listReportDeliveries(actor: Actor, limit = 20): Promise<DeliveryLogEntry[]> {
  if (!hasRole(actor, 'admin')) throw new Error('Forbidden: this needs the admin role.');
  const { rows } = await getPool().query<DeliveryLogEntry>(
    `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at, action, target, actor, details
     FROM audit_log WHERE action IN ('report.sent', 'report.failed') ORDER BY at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows;
}
