'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { audit } from '@/lib/auth/audit';
import { ActionError, formFields, serverAction } from '@/lib/auth/serverAction';
import { addConnector, replaceCredential, validInterval } from '@/lib/connectors/addConnector';
import { queueRunNow } from '@/lib/connectors/connectorJobs';
import {
  ConnectorExistsError,
  findConnector,
  removeConnector,
  setInterval,
  setPaused,
} from '@/lib/connectors/connectorStore';
import { ConnectorInputError } from '@/lib/connectors/types';

export interface ConnectorFormState {
  ok: boolean;
  message: string;
}

const fail = (message: string): ConnectorFormState => ({ ok: false, message });
const field = z.string().max(8192).optional();
// The settings themselves are validated by addConnector (lib/connectors/addConnector.ts), naming the field.
const connectorForm = z.object({
  kind: z.string().max(100).default(''),
  name: field,
  connectionString: field,
  sasUrl: field,
  containers: field,
  tenant: field,
  clientId: field,
  clientSecret: field,
  credential: z.enum(['client-secret', 'certificate']).optional(),
  clientCertificate: field,
  authorityUrl: field,
  graphUrl: field,
  pushdown: z.string().optional(),
  path: field,
  interval: z.string().max(10).optional(),
});
const nonEmpty = (value: string | undefined) => (value && value.trim() !== '' ? value : undefined);

export const addConnectorAction = serverAction(
  {
    name: 'addConnectorAction',
    role: 'admin',
    input: connectorForm,
    from: (_previous: ConnectorFormState, form: FormData) => formFields(form),
    fail,
    expected: [ConnectorInputError, ConnectorExistsError],
  },
  async ({ actor, input, ip }): Promise<ConnectorFormState> => {
    const connector = await addConnector(
      {
        kind: input.kind,
        name: nonEmpty(input.name),
        connectionString: nonEmpty(input.connectionString),
        sasUrl: nonEmpty(input.sasUrl),
        containers: nonEmpty(input.containers),
        tenant: nonEmpty(input.tenant),
        clientId: nonEmpty(input.clientId),
        // Only the field of the chosen credential counts (the other may linger in the browser's form state).
        clientSecret: input.credential === 'certificate' ? undefined : nonEmpty(input.clientSecret),
        clientCertificate: input.credential === 'certificate' ? nonEmpty(input.clientCertificate) : undefined,
        authorityUrl: nonEmpty(input.authorityUrl),
        graphUrl: nonEmpty(input.graphUrl),
        pushdown: input.pushdown === 'on',
        path: nonEmpty(input.path),
        intervalMinutes: nonEmpty(input.interval) ? Number(input.interval) : undefined,
      },
      actor.label,
    );
    // Secrets never reach the audit log: only the kind and the name.
    await audit(actor, 'connector.create', connector.name, { kind: connector.kind }, ip);
    await queueRunNow(connector.id);
    revalidatePath('/settings/connectors');
    return { ok: true, message: `Connector ${connector.name} added; its first pull has started.` };
  },
);

const byId = z.object({ id: z.coerce.number().int().positive(), paused: z.string().optional() });

async function connectorOf(id: number) {
  const connector = await findConnector(id);
  if (!connector) throw new ActionError('no such connector');
  return connector;
}

export const runNowAction = serverAction(
  {
    name: 'runNowAction',
    role: 'admin',
    input: byId,
    from: (form: FormData) => formFields(form),
    fail: () => undefined,
  },
  async ({ actor, input, ip }): Promise<void> => {
    const connector = await connectorOf(input.id);
    await queueRunNow(connector.id);
    await audit(actor, 'connector.run', connector.name, {}, ip);
    revalidatePath('/settings/connectors');
  },
);

export const setPausedAction = serverAction(
  {
    name: 'setPausedAction',
    role: 'admin',
    input: byId,
    from: (form: FormData) => formFields(form),
    fail: () => undefined,
  },
  async ({ actor, input, ip }): Promise<void> => {
    const connector = await connectorOf(input.id);
    const paused = input.paused === 'true';
    await setPaused(connector.id, paused);
    await audit(actor, paused ? 'connector.pause' : 'connector.resume', connector.name, {}, ip);
    revalidatePath('/settings/connectors');
  },
);

export const removeConnectorAction = serverAction(
  {
    name: 'removeConnectorAction',
    role: 'admin',
    input: byId,
    from: (form: FormData) => formFields(form),
    fail: () => undefined,
  },
  async ({ actor, input, ip }): Promise<void> => {
    const connector = await connectorOf(input.id);
    await removeConnector(connector.id);
    await audit(actor, 'connector.remove', connector.name, {}, ip);
    revalidatePath('/settings/connectors');
  },
);

const intervalForm = z.object({ id: z.coerce.number().int().positive(), minutes: z.string().max(10).default('') });

export const setIntervalAction = serverAction(
  {
    name: 'setIntervalAction',
    role: 'admin',
    input: intervalForm,
    from: (_previous: ConnectorFormState, form: FormData) => formFields(form),
    fail,
    expected: [ConnectorInputError],
  },
  async ({ actor, input, ip }): Promise<ConnectorFormState> => {
    const connector = await connectorOf(input.id);
    const minutes = validInterval(input.minutes);
    await setInterval(connector.id, minutes);
    await audit(actor, 'connector.interval', connector.name, { from: connector.intervalMinutes, to: minutes }, ip);
    revalidatePath('/settings/connectors');
    return { ok: true, message: `${connector.name} runs every ${minutes} minutes.` };
  },
);

const credentialForm = z.object({
  id: z.coerce.number().int().positive(),
  field: z.enum(['connectionString', 'sasUrl', 'clientSecret', 'clientCertificate']),
  value: z.string().max(16384).default(''),
});

export const replaceCredentialAction = serverAction(
  {
    name: 'replaceCredentialAction',
    role: 'admin',
    input: credentialForm,
    from: (_previous: ConnectorFormState, form: FormData) => formFields(form),
    fail,
    expected: [ConnectorInputError],
  },
  async ({ actor, input, ip }): Promise<ConnectorFormState> => {
    const connector = await connectorOf(input.id);
    if (!input.value.trim()) throw new ConnectorInputError(input.field, 'the new credential is empty');
    await replaceCredential(connector, { [input.field]: input.value });
    // The secret never reaches the audit log: only which kind of credential it now is.
    await audit(actor, 'connector.credential', connector.name, { credential: input.field }, ip);
    await queueRunNow(connector.id);
    revalidatePath('/settings/connectors');
    return { ok: true, message: `${connector.name}: credential replaced; a run has started with it.` };
  },
);
