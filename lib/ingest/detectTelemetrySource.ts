import type { TelemetrySource } from './types';

/**
 * Which telemetry format a file is, from its first kilobytes (decoded text), or null when it is none of them.
 * Zeek: `#separator`/`#fields` or a JSON line with `uid` and `id.orig_h`; Streaming API: JSON with `records` or an
 * `AdvancedHunting-` category; Defender CSV: a header naming RemoteIP/ActionType (network events) or
 * PublicIP/OSPlatform (device info).
 */
export function detectTelemetrySource(firstKilobytes: string): TelemetrySource | null {
  const text = firstKilobytes.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('#separator') || text.startsWith('#fields')) return 'zeek-conn';
  if (text.startsWith('{') || text.startsWith('[')) {
    if (/"uid"\s*:/.test(text) && /"id\.orig_h"\s*:|"id"\s*:\s*\{\s*"orig_h"/.test(text)) return 'zeek-conn';
    if (/"records"\s*:/.test(text) || /"category"\s*:\s*"AdvancedHunting-/i.test(text)) return 'defender-stream';
    return null;
  }
  const headerLine = text.split(/\r\n|\n|\r/, 1)[0];
  const names = new Set(headerNames(headerLine).map((name) => name.toLowerCase()));
  if (names.has('remoteip') || names.has('actiontype')) return 'defender-network-events';
  if (names.has('publicip') || names.has('osplatform')) return 'defender-device-info';
  return null;
}

/** Header names of a CSV line, quotes removed (a header is names, so no embedded line breaks to care about). */
function headerNames(line: string): string[] {
  const names: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      names.push(current);
      current = '';
    } else current += c;
  }
  names.push(current);
  return names.map((name) => name.trim().replace(/\s*\[UTC\]$/i, ''));
}
