import { checkOutboundUrl, guardedAgent, guardedFetch, OutboundRefusedError } from '@/lib/net/outbound';
import { ConnectorInputError } from './types';

// Outbound requests of connectors (Entra token endpoint, Graph, the blob endpoint) pass the same address guard as
// relay feeds and webhooks (lib/net/outbound.ts); TORWATCH_OUTBOUND_ALLOW lets tests reach 127.0.0.1.

/** At add time: the URL is http(s) and its host resolves to addresses the guard allows. */
export async function checkConnectorUrl(url: string, field: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConnectorInputError(field, `"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new ConnectorInputError(field, `${parsed.protocol} URLs are not allowed`);
  try {
    await checkOutboundUrl(parsed);
  } catch (error) {
    if (error instanceof OutboundRefusedError) throw new ConnectorInputError(field, `${parsed.host}: ${error.message}`);
    // A DNS failure now is not a reason to refuse the setting: the run reports it, and retries.
  }
}

export const connectorFetch = (url: string, init: RequestInit): Promise<Response> => guardedFetch(url, init);

/**
 * A request policy factory for the Azure Storage SDK's pipeline: every request goes through the guarded agent, which
 * resolves and judges the host at connect time and connects to the address it judged.
 */
export const guardedStoragePolicy = {
  create(next: { sendRequest(request: unknown): Promise<unknown> }) {
    return {
      sendRequest(request: { url: string; agent?: unknown }) {
        request.agent = guardedAgent(new URL(request.url).protocol === 'http:' ? 'http:' : 'https:');
        return next.sendRequest(request);
      },
    };
  },
};
