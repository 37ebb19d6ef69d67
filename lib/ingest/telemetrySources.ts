// The telemetry formats TorWatch reads (docs/architecture.md §6.1), with their labels: the one list the CLI, the
// ingest API, the Ingest page and the batch table use. Client-safe (no imports).
export const TELEMETRY_SOURCES = [
  { id: 'defender-network-events', label: 'Defender DeviceNetworkEvents CSV', short: 'Defender events' },
  { id: 'defender-device-info', label: 'Defender DeviceInfo CSV', short: 'DeviceInfo' },
  { id: 'defender-stream', label: 'Defender Streaming API JSON', short: 'Defender stream' },
  { id: 'zeek-conn', label: 'Zeek conn.log', short: 'Zeek conn' },
] as const;

export type TelemetrySource = (typeof TELEMETRY_SOURCES)[number]['id'];

/** What a caller may ask for: a source, or `auto` (detect it from the first bytes). */
export const SOURCE_CHOICES = ['auto', ...TELEMETRY_SOURCES.map((s) => s.id)] as ['auto', ...TelemetrySource[]];
