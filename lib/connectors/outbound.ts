import { ConnectorInputError } from './types';

// Outbound URLs of connectors (Entra token endpoint, Graph, the blob endpoint).
// INTERIM: the address guard (lib/net/outbound.ts, hardening branch) is not merged yet; until then this checks the
// scheme only, and the connectors call fetch / the Azure SDK directly. Switching is a change of this file.

export async function checkConnectorUrl(url: string, field: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConnectorInputError(field, `"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new ConnectorInputError(field, `${parsed.protocol} URLs are not allowed`);
}

export const connectorFetch: typeof fetch = (input, init) => fetch(input, init);
