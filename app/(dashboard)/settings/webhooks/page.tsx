import { requirePageRole } from '@/lib/auth/guard';
import { listWebhookDeliveries } from '@/lib/alerts/listWebhookDeliveries';
import { listWebhooks } from '@/lib/alerts/listWebhooks';
import { PageHeader } from '@/components/layout/PageHeader';
import { WebhookForm } from '@/components/triage/WebhookForm';
import { WebhooksTable } from '@/components/triage/WebhooksTable';
import { WebhookDeliveryLog } from '@/components/triage/WebhookDeliveryLog';
import {
  createWebhookAction,
  deleteWebhookAction,
  retryDeliveryAction,
  setWebhookEnabledAction,
  testWebhookAction,
  updateWebhookAction,
} from './actions';

export const metadata = { title: 'Webhooks' };

export default async function WebhooksPage() {
  const actor = await requirePageRole('admin');
  const [webhooks, deliveries] = await Promise.all([listWebhooks(actor), listWebhookDeliveries(actor, { limit: 100 })]);
  return (
    <>
      <PageHeader
        title="Alert webhooks"
        description="After each match run, new hits at or above a webhook's confidence go to it in one message (Slack, Microsoft Teams or generic JSON), retried with backoff."
      />
      <div className="flex flex-col gap-6">
        <WebhookForm action={createWebhookAction} />
        {webhooks.length ? (
          <WebhooksTable
            webhooks={webhooks}
            onToggle={setWebhookEnabledAction}
            onDelete={deleteWebhookAction}
            onTest={testWebhookAction}
          />
        ) : (
          <p className="text-sm text-slate-500">No webhooks yet.</p>
        )}
        {webhooks.map((hook) => (
          <details key={hook.id} className="-mt-4 text-sm">
            <summary className="cursor-pointer text-violet-700 hover:underline dark:text-violet-400">
              Edit “{hook.name}”
            </summary>
            <div className="mt-2">
              <WebhookForm action={updateWebhookAction} webhook={hook} />
            </div>
          </details>
        ))}
        <section>
          <h2 className="mb-2 font-medium">Delivery log</h2>
          <WebhookDeliveryLog deliveries={deliveries} onRetry={retryDeliveryAction} />
        </section>
      </div>
    </>
  );
}
