'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { serverAction } from '@/lib/auth/serverAction';
import { loadReportSchedule, saveReportSchedule, saveSmtpSettings } from '@/lib/reports/reportSchedule';
import { sendReport } from '@/lib/reports/sendReport';

// The report schedule and SMTP settings on /reports (issue 17): admins only, each action checks on the server.
export interface ReportFormState {
  ok: boolean;
  message: string;
}

// Every action goes through serverAction (lib/auth/serverAction.ts): admin role (403 otherwise). The settings
// validators and the SMTP client throw plain errors written for the admin ("recipients: …", the SMTP answer), so
// their messages are shown as they are: `expected: [Error]`.
const formInput = z.object({ form: z.instanceof(FormData) });
const fromForm = (_previous: ReportFormState, form: FormData) => ({ form });
const fail = (message: string): ReportFormState => ({ ok: false, message });

export const saveSmtpAction = serverAction(
  { name: 'saveSmtpAction', role: 'admin', input: formInput, from: fromForm, fail, expected: [Error] },
  async ({ actor, input: { form } }): Promise<ReportFormState> => {
    await saveSmtpSettings(actor, {
      host: form.get('host'),
      port: form.get('port'),
      security: form.get('security'),
      user: form.get('user') ?? undefined,
      from: form.get('from') ?? undefined,
      password: String(form.get('password') ?? '') || undefined,
      clearPassword: form.get('clearPassword') === 'on',
    });
    revalidatePath('/reports');
    return { ok: true, message: 'SMTP settings saved. "Send now" checks them.' };
  },
);

export const saveScheduleAction = serverAction(
  { name: 'saveScheduleAction', role: 'admin', input: formInput, from: fromForm, fail, expected: [Error] },
  async ({ actor, input: { form } }): Promise<ReportFormState> => {
    const schedule = await saveReportSchedule(actor, {
      enabled: form.get('enabled') === 'on',
      recipients: String(form.get('recipients') ?? ''),
      weekday: form.get('weekday'),
      hour: form.get('hour'),
      zone: form.get('zone'),
      days: form.get('days'),
    });
    revalidatePath('/reports');
    return {
      ok: true,
      message: schedule.enabled && schedule.recipients.length ? 'Schedule saved.' : 'Saved; the schedule is off.',
    };
  },
);

export const sendNowAction = serverAction(
  { name: 'sendNowAction', role: 'admin', input: formInput, from: fromForm, fail, expected: [Error] },
  async ({ actor }): Promise<ReportFormState> => {
    const schedule = await loadReportSchedule();
    const to = schedule?.recipients ?? [];
    if (!to.length) return { ok: false, message: 'recipients: save at least one recipient first' };
    try {
      const result = await sendReport({
        to,
        days: schedule?.days ?? 7,
        zone: schedule?.zone ?? 'UTC',
        trigger: 'manual',
        actor,
      });
      return { ok: true, message: `Sent to ${result.accepted.join(', ')}: ${result.response}` };
    } finally {
      revalidatePath('/reports');
    }
  },
);
