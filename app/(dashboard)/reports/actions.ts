'use server';

import { revalidatePath } from 'next/cache';
import { ZodError } from 'zod';
import { requireActionRole } from '@/lib/auth/guard';
import { loadReportSchedule, saveReportSchedule, saveSmtpSettings } from '@/lib/reports/reportSchedule';
import { sendReport } from '@/lib/reports/sendReport';

// The report schedule and SMTP settings on /reports (issue 17): admins only, each action checks on the server.
export interface ReportFormState {
  ok: boolean;
  message: string;
}

function failure(error: unknown): ReportFormState {
  if (error instanceof ZodError)
    return { ok: false, message: `${String(error.issues[0].path[0] ?? 'form')}: ${error.issues[0].message}` };
  return { ok: false, message: (error as Error).message };
}

export async function saveSmtpAction(_previous: ReportFormState, form: FormData): Promise<ReportFormState> {
  try {
    const actor = await requireActionRole('admin');
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
  } catch (error) {
    return failure(error);
  }
}

export async function saveScheduleAction(_previous: ReportFormState, form: FormData): Promise<ReportFormState> {
  try {
    const actor = await requireActionRole('admin');
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
  } catch (error) {
    return failure(error);
  }
}

export async function sendNowAction(_previous: ReportFormState, form: FormData): Promise<ReportFormState> {
  try {
    const actor = await requireActionRole('admin');
    const schedule = await loadReportSchedule();
    const to = schedule?.recipients ?? [];
    if (!to.length) return { ok: false, message: 'recipients: save at least one recipient first' };
    const result = await sendReport({
      to,
      days: schedule?.days ?? 7,
      zone: schedule?.zone ?? 'UTC',
      trigger: 'manual',
      actor,
    });
    void form;
    revalidatePath('/reports');
    return { ok: true, message: `Sent to ${result.accepted.join(', ')}: ${result.response}` };
  } catch (error) {
    revalidatePath('/reports');
    return failure(error);
  }
}
