'use server';

import { revalidatePath } from 'next/cache';
import { ZodError } from 'zod';
import { requireActionRole } from '@/lib/auth/guard';
import { deleteWebhook, retryDelivery, saveWebhook, sendTestWebhook, setWebhookEnabled } from '@/lib/alerts/webhooks';

export interface WebhookFormState {
  ok: boolean;
  message: string;
}

function failure(error: unknown): WebhookFormState {
  if (error instanceof ZodError)
    return { ok: false, message: `${String(error.issues[0].path[0] ?? 'webhook')}: ${error.issues[0].message}` };
  return { ok: false, message: (error as Error).message };
}

export async function createWebhookAction(_previous: WebhookFormState, form: FormData): Promise<WebhookFormState> {
  try {
    const actor = await requireActionRole('admin');
    await saveWebhook(actor, null, {
      name: form.get('name'),
      url: form.get('url'),
      format: form.get('format'),
      minConfidence: form.get('minConfidence'),
      alertPer: form.get('alertPer') || undefined,
      secret: form.get('secret') || undefined,
      enabled: true,
    });
    revalidatePath('/settings/webhooks');
    return { ok: true, message: 'Webhook added. Send a test message to check it.' };
  } catch (error) {
    return failure(error);
  }
}

export async function updateWebhookAction(_previous: WebhookFormState, form: FormData): Promise<WebhookFormState> {
  try {
    const actor = await requireActionRole('admin');
    await saveWebhook(actor, Number(form.get('id')), {
      name: form.get('name'),
      url: form.get('url'),
      format: form.get('format'),
      minConfidence: form.get('minConfidence'),
      alertPer: form.get('alertPer') || undefined,
      secret: form.get('secret') || undefined,
      clearSecret: form.get('clearSecret') === 'on',
      enabled: form.get('enabled') === 'true',
    });
    revalidatePath('/settings/webhooks');
    return { ok: true, message: 'Saved; the next match run alerts with these settings.' };
  } catch (error) {
    return failure(error);
  }
}

export async function setWebhookEnabledAction(form: FormData): Promise<void> {
  const actor = await requireActionRole('admin');
  await setWebhookEnabled(actor, Number(form.get('id')), form.get('enabled') === 'true');
  revalidatePath('/settings/webhooks');
}

export async function deleteWebhookAction(form: FormData): Promise<void> {
  const actor = await requireActionRole('admin');
  await deleteWebhook(actor, Number(form.get('id')));
  revalidatePath('/settings/webhooks');
}

export async function testWebhookAction(id: number): Promise<WebhookFormState> {
  try {
    const actor = await requireActionRole('admin');
    const result = await sendTestWebhook(actor, id);
    revalidatePath('/settings/webhooks');
    return result.outcome === 'delivered'
      ? { ok: true, message: `Delivered (HTTP ${result.responseCode}).` }
      : { ok: false, message: `Not delivered: ${result.error ?? 'unknown error'}` };
  } catch (error) {
    return failure(error);
  }
}

export async function retryDeliveryAction(form: FormData): Promise<void> {
  const actor = await requireActionRole('admin');
  await retryDelivery(actor, String(form.get('id') ?? ''));
  revalidatePath('/settings/webhooks');
}
