'use client';

import { useActionState } from 'react';
import type { ReportFormState } from '@/app/(dashboard)/reports/actions';
import { ActionStatus } from '@/components/forms/ActionStatus';

type Action = (previous: ReportFormState, form: FormData) => Promise<ReportFormState>;

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const input = 'rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900';
const button =
  'rounded-md bg-violet-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-violet-800 disabled:opacity-60';

export interface ReportAdminProps {
  smtp: { host: string; port: number; security: string; user: string | null; from: string | null } | null;
  hasPassword: boolean;
  smtpFromEnv: boolean;
  schedule: {
    enabled: boolean;
    recipients: string[];
    weekday: number;
    hour: number;
    zone: string;
    days: number;
  } | null;
  saveSmtp: Action;
  saveSchedule: Action;
  sendNow: Action;
}

/** The admin's report settings: SMTP server, the weekly schedule, and "Send now". */
export function ReportAdmin({
  smtp,
  hasPassword,
  smtpFromEnv,
  schedule,
  saveSmtp,
  saveSchedule,
  sendNow,
}: ReportAdminProps) {
  const [smtpState, smtpAction, smtpPending] = useActionState(saveSmtp, { ok: true, message: '' });
  const [scheduleState, scheduleAction, schedulePending] = useActionState(saveSchedule, { ok: true, message: '' });
  const [sendState, sendAction, sendPending] = useActionState(sendNow, { ok: true, message: '' });
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <form
        action={scheduleAction}
        className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
        aria-label="Report schedule"
      >
        <h2 className="font-medium">E-mail schedule</h2>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="enabled" defaultChecked={schedule?.enabled ?? false} /> Send the report on a
          schedule
        </label>
        <label className="flex flex-col gap-1 text-sm">
          Recipients (comma-separated)
          <input
            name="recipients"
            className={input}
            defaultValue={schedule?.recipients.join(', ') ?? ''}
            placeholder="ciso@example.com, it-lead@example.com"
          />
        </label>
        <div className="flex flex-wrap gap-2">
          <div className="flex flex-col gap-1 text-sm">
            <label htmlFor="report-weekday">Weekday</label>
            <select id="report-weekday" name="weekday" className={input} defaultValue={schedule?.weekday ?? 1}>
              {WEEKDAYS.map((d, i) => (
                <option key={d} value={i}>
                  {d}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1 text-sm">
            <label htmlFor="report-hour">Hour</label>
            <select id="report-hour" name="hour" className={input} defaultValue={schedule?.hour ?? 8}>
              {Array.from({ length: 24 }, (_, h) => (
                <option key={h} value={h}>
                  {String(h).padStart(2, '0')}:00
                </option>
              ))}
            </select>
          </div>
          <label className="flex flex-col gap-1 text-sm">
            Time zone
            <input name="zone" className={input} defaultValue={schedule?.zone ?? 'UTC'} />
          </label>
          <div className="flex flex-col gap-1 text-sm">
            <label htmlFor="report-days">Period</label>
            <select id="report-days" name="days" className={input} defaultValue={schedule?.days ?? 7}>
              <option value={7}>last 7 days</option>
              <option value={30}>last 30 days</option>
              <option value={90}>last 90 days</option>
            </select>
          </div>
        </div>
        <div className="flex items-center gap-3">
          <button type="submit" className={button} disabled={schedulePending}>
            Save schedule
          </button>
          <ActionStatus state={scheduleState} />
        </div>
      </form>
      <form
        action={smtpAction}
        className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
        aria-label="SMTP server"
      >
        <h2 className="font-medium">SMTP server</h2>
        {smtpFromEnv ? (
          <p className="text-xs text-amber-700">
            TORWATCH_SMTP_URL is set on the server: it is used instead of these settings.
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <label className="flex flex-col gap-1 text-sm">
            Host
            <input
              name="host"
              required
              className={input}
              defaultValue={smtp?.host ?? ''}
              placeholder="smtp.example.com"
            />
          </label>
          <label className="flex flex-col gap-1 text-sm">
            Port
            <input
              name="port"
              required
              type="number"
              min={1}
              max={65535}
              className={`${input} w-24`}
              defaultValue={smtp?.port ?? 587}
            />
          </label>
          <div className="flex flex-col gap-1 text-sm">
            <label htmlFor="report-security">Security</label>
            <select id="report-security" name="security" className={input} defaultValue={smtp?.security ?? 'starttls'}>
              <option value="starttls">STARTTLS (required)</option>
              <option value="tls">TLS (smtps, port 465)</option>
              <option value="opportunistic">STARTTLS when offered</option>
            </select>
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          <label className="flex flex-col gap-1 text-sm">
            User
            <input name="user" className={input} defaultValue={smtp?.user ?? ''} autoComplete="off" />
          </label>
          <label className="flex flex-col gap-1 text-sm">
            Password {hasPassword ? '(stored; blank keeps it)' : ''}
            <input name="password" type="password" className={input} autoComplete="new-password" />
          </label>
          {hasPassword ? (
            <label className="flex items-center gap-1 self-end text-sm">
              <input type="checkbox" name="clearPassword" /> remove
            </label>
          ) : null}
        </div>
        <label className="flex flex-col gap-1 text-sm">
          Sender (blank: torwatch@&lt;server host name&gt;)
          <input name="from" className={input} defaultValue={smtp?.from ?? ''} />
        </label>
        <div className="flex items-center gap-3">
          <button type="submit" className={button} disabled={smtpPending}>
            Save SMTP settings
          </button>
          <ActionStatus state={smtpState} />
        </div>
      </form>
      <form action={sendAction} className="flex items-center gap-3 lg:col-span-2" aria-label="Send now">
        <button type="submit" className={button} disabled={sendPending}>
          {sendPending ? 'Sending…' : 'Send now'}
        </button>
        <span className="text-sm text-slate-600 dark:text-slate-400">
          to the schedule&apos;s recipients, for its period
        </span>
        <ActionStatus state={sendState} />
      </form>
    </div>
  );
}
