'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formFields, serverAction } from '@/lib/auth/serverAction';
import {
  deleteWebhook,
  retryDelivery,
  saveWebhook,
  sendTestWebhook,
  setWebhookEnabled,
  WebhookError,
} from '@/lib/alerts/webhooks';

export interface WebhookFormState {
  ok: boolean;
  message: string;
}

const fail = (message: string): WebhookFormState => ({ ok: false, message });
const webhookId = z.coerce.number().int().positive();
// The fields themselves are validated by saveWebhook (lib/alerts/webhooks.ts); its zod issues name the field.
const webhookForm = z.object({
  id: z.string().optional(),
  name: z.string().max(1000).optional(),
  url: z.string().max(4096).optional(),
  format: z.string().max(100).optional(),
  minConfidence: z.string().max(100).optional(),
  secret: z.string().max(4096).optional(),
  clearSecret: z.string().optional(),
  enabled: z.string().optional(),
});

export const createWebhookAction = serverAction(
  {
    name: 'createWebhookAction',
    role: 'admin',
    input: webhookForm,
    from: (_previous: WebhookFormState, form: FormData) => formFields(form),
    fail,
    expected: [WebhookError],
  },
  async ({ actor, input }): Promise<WebhookFormState> => {
    await saveWebhook(actor, null, {
      name: input.name,
      url: input.url,
      format: input.format,
      minConfidence: input.minConfidence,
      secret: input.secret || undefined,
      enabled: true,
    });
    revalidatePath('/settings/webhooks');
    return { ok: true, message: 'Webhook added. Send a test message to check it.' };
  },
);

export const updateWebhookAction = serverAction(
  {
    name: 'updateWebhookAction',
    role: 'admin',
    input: webhookForm.extend({ id: webhookId }),
    from: (_previous: WebhookFormState, form: FormData) => formFields(form),
    fail,
    expected: [WebhookError],
  },
  async ({ actor, input }): Promise<WebhookFormState> => {
    await saveWebhook(actor, input.id, {
      name: input.name,
      url: input.url,
      format: input.format,
      minConfidence: input.minConfidence,
      secret: input.secret || undefined,
      clearSecret: input.clearSecret === 'on',
      enabled: input.enabled === 'true',
    });
    revalidatePath('/settings/webhooks');
    return { ok: true, message: 'Saved; the next match run alerts with these settings.' };
  },
);

export const setWebhookEnabledAction = serverAction(
  {
    name: 'setWebhookEnabledAction',
    role: 'admin',
    input: z.object({ id: webhookId, enabled: z.string().optional() }),
    from: (form: FormData) => formFields(form),
    fail: () => undefined,
    expected: [WebhookError],
  },
  async ({ actor, input }): Promise<void> => {
    await setWebhookEnabled(actor, input.id, input.enabled === 'true');
    revalidatePath('/settings/webhooks');
  },
);

export const deleteWebhookAction = serverAction(
  {
    name: 'deleteWebhookAction',
    role: 'admin',
    input: z.object({ id: webhookId }),
    from: (form: FormData) => formFields(form),
    fail: () => undefined,
    expected: [WebhookError],
  },
  async ({ actor, input }): Promise<void> => {
    await deleteWebhook(actor, input.id);
    revalidatePath('/settings/webhooks');
  },
);

export const testWebhookAction = serverAction(
  {
    name: 'testWebhookAction',
    role: 'admin',
    input: z.object({ id: webhookId }),
    from: (id: number) => ({ id }),
    fail,
    expected: [WebhookError],
  },
  async ({ actor, input }): Promise<WebhookFormState> => {
    const result = await sendTestWebhook(actor, input.id);
    revalidatePath('/settings/webhooks');
    return result.outcome === 'delivered'
      ? { ok: true, message: `Delivered (HTTP ${result.responseCode}).` }
      : { ok: false, message: `Not delivered: ${result.error ?? 'unknown error'}` };
  },
);

export const retryDeliveryAction = serverAction(
  {
    name: 'retryDeliveryAction',
    role: 'admin',
    input: z.object({ id: z.string().min(1).max(100) }),
    from: (form: FormData) => formFields(form),
    fail: () => undefined,
    expected: [WebhookError],
  },
  async ({ actor, input }): Promise<void> => {
    await retryDelivery(actor, input.id);
    revalidatePath('/settings/webhooks');
  },
);
