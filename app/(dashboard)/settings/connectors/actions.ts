'use server';

import { revalidatePath } from 'next/cache';
import { audit } from '@/lib/auth/audit';
import { requireActionRole } from '@/lib/auth/guard';
import { addConnector } from '@/lib/connectors/addConnector';
import { queueRunNow } from '@/lib/connectors/connectorJobs';
import { ConnectorExistsError, findConnector, removeConnector, setPaused } from '@/lib/connectors/connectorStore';
import { ConnectorInputError } from '@/lib/connectors/types';

export interface ConnectorFormState {
  ok: boolean;
  message: string;
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
};

export async function addConnectorAction(_previous: ConnectorFormState, form: FormData): Promise<ConnectorFormState> {
  try {
    const actor = await requireActionRole('admin');
    const connector = await addConnector(
      {
        kind: text(form, 'kind') ?? '',
        name: text(form, 'name'),
        connectionString: text(form, 'connectionString'),
        sasUrl: text(form, 'sasUrl'),
        containers: text(form, 'containers'),
        tenant: text(form, 'tenant'),
        clientId: text(form, 'clientId'),
        clientSecret: text(form, 'clientSecret'),
        authorityUrl: text(form, 'authorityUrl'),
        graphUrl: text(form, 'graphUrl'),
        pushdown: form.get('pushdown') === 'on',
        path: text(form, 'path'),
        intervalMinutes: text(form, 'interval') ? Number(text(form, 'interval')) : undefined,
      },
      actor.label,
    );
    // Secrets never reach the audit log: only what kind of connector and its name.
    await audit(actor, 'connector.create', connector.name, { kind: connector.kind });
    await queueRunNow(connector.id);
    revalidatePath('/settings/connectors');
    return { ok: true, message: `Connector ${connector.name} added; its first pull has started.` };
  } catch (error) {
    if (error instanceof ConnectorInputError || error instanceof ConnectorExistsError)
      return { ok: false, message: error.message };
    return { ok: false, message: (error as Error).message };
  }
}

async function byId(form: FormData) {
  const connector = await findConnector(Number(form.get('id')));
  if (!connector) throw new Error('no such connector');
  return connector;
}

export async function runNowAction(form: FormData): Promise<void> {
  const actor = await requireActionRole('admin');
  const connector = await byId(form);
  await queueRunNow(connector.id);
  await audit(actor, 'connector.run', connector.name);
  revalidatePath('/settings/connectors');
}

export async function setPausedAction(form: FormData): Promise<void> {
  const actor = await requireActionRole('admin');
  const connector = await byId(form);
  const paused = form.get('paused') === 'true';
  await setPaused(connector.id, paused);
  await audit(actor, paused ? 'connector.pause' : 'connector.resume', connector.name);
  revalidatePath('/settings/connectors');
}

export async function removeConnectorAction(form: FormData): Promise<void> {
  const actor = await requireActionRole('admin');
  const connector = await byId(form);
  await removeConnector(connector.id);
  await audit(actor, 'connector.remove', connector.name);
  revalidatePath('/settings/connectors');
}
