import { eventsPerHour, isStalled, nextRunAt } from './connectorJobs';
import { listConnectors } from './connectorStore';
import type { ConnectorKind, GraphHuntingConfig } from './types';

// What the Connectors page, the detailed /api/health and the Overview banner show about each connector.

export interface ConnectorHealth {
  id: number;
  name: string;
  kind: ConnectorKind;
  state: 'ok' | 'failing' | 'stalled' | 'paused' | 'new';
  intervalMinutes: number;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  nextRunAt: string | null;
  /** Seconds between the newest event brought in and now. */
  lagSeconds: number | null;
  /** Events read per hour, averaged over the last 24 hours. */
  eventsPerHour: number;
  lastError: string | null;
  lastErrorAt: string | null;
  /** Where it reads from, without secrets (folder, containers, tenant). */
  source: string;
  /** graph-hunting with a certificate: its SHA-1 thumbprint and expiry (the key never leaves the secret store). */
  certificate: { thumbprint: string; expiresAt: string } | null;
}

export async function connectorHealth(now = Date.now()): Promise<ConnectorHealth[]> {
  const [connectors, rates] = await Promise.all([listConnectors(), eventsPerHour()]);
  return connectors.map((c) => {
    const stalled = isStalled(c, now);
    const state = c.paused ? 'paused' : stalled ? 'stalled' : c.lastError ? 'failing' : c.lastSuccessAt ? 'ok' : 'new';
    const config = c.config as unknown as Record<string, unknown>;
    const source =
      c.kind === 'zeek-folder'
        ? String(config.path)
        : c.kind === 'graph-hunting'
          ? `tenant ${String(config.tenant)}${config.pushdown ? ' (pushdown)' : ''}`
          : (config.containers as string[]).length
            ? (config.containers as string[]).join(', ')
            : 'every Defender container';
    const next = nextRunAt(c);
    return {
      id: c.id,
      name: c.name,
      kind: c.kind,
      state,
      intervalMinutes: c.intervalMinutes,
      lastRunAt: c.lastRunAt?.toISOString() ?? null,
      lastSuccessAt: c.lastSuccessAt?.toISOString() ?? null,
      nextRunAt: next ? new Date(Math.max(next.getTime(), now)).toISOString() : null,
      lagSeconds: c.newestEventAt ? Math.max(0, Math.round((now - c.newestEventAt.getTime()) / 1000)) : null,
      eventsPerHour: rates.get(c.id) ?? 0,
      lastError: c.lastError,
      lastErrorAt: c.lastErrorAt?.toISOString() ?? null,
      source,
      certificate:
        c.kind === 'graph-hunting' && (c.config as GraphHuntingConfig).certificate
          ? {
              thumbprint: (c.config as GraphHuntingConfig).certificate!.thumbprint,
              expiresAt: (c.config as GraphHuntingConfig).certificate!.expiresAt,
            }
          : null,
    };
  });
}

/** The stalled connectors' names (the Overview banner). */
export async function stalledConnectors(): Promise<string[]> {
  const now = Date.now();
  return (await listConnectors()).filter((c) => isStalled(c, now)).map((c) => c.name);
}
