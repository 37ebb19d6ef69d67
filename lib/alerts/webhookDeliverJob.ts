import type { JobHandler } from '@/lib/jobs/jobHandler';
import { deliverWebhook } from './deliverWebhook';

// The 'webhook-deliver' queue: `{ deliveryId }` → one attempt; a retriable failure throws so pg-boss retries with backoff.
export const webhookDeliverJob: JobHandler = async (data) => {
  const deliveryId = String(data.deliveryId ?? '');
  if (!/^\d{1,19}$/.test(deliveryId))
    throw new Error(`webhook-deliver: job data has no delivery id (${JSON.stringify(data).slice(0, 100)})`);
  return { outcome: await deliverWebhook(deliveryId, { throwOnRetry: true }) };
};
