import { canonicalIp } from '../net/ip';
import type { RelayFormat } from './types';

// Only the start of a document is inspected, except for the bulk list, where every line is looked at.
const SAMPLE_CHARS = 64 * 1024;
// A bulk list with a corrupt line or two is still a bulk list (those lines become rejects); a text that is only
// partly addresses is something else.
const BULK_MAX_BAD_SHARE = 0.1;

/**
 * Which relay feed a document is, from its content: Onionoo = a JSON object with `relays`; TorDNSEL = `ExitNode`
 * lines; TorRelayIPs.csv = a header naming Nickname and Fingerprint; bulk exit list = the lines that are not blank
 * or `#` comments are IP addresses (allowing one bad line, or 10%). Null when none fits (HTML error pages included).
 */
export function detectRelayFormat(text: string): RelayFormat | null {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body === '') return null;
  const sample = body.slice(0, SAMPLE_CHARS);
  // A JSON object naming "relays" near the top; a truncated one still counts, so its parse error can say so.
  if (sample.startsWith('{')) return /"relays"\s*:/.test(sample) ? 'onionoo' : null;
  // PowerShell's Export-Csv writes `#TYPE <class>` above the header unless told not to.
  const firstLine = sample.split('\n').find((line) => !line.startsWith('#TYPE')) ?? '';
  const header = firstLine.toLowerCase();
  if (header.includes('nickname') && header.includes('fingerprint')) return 'torrelayips-csv';
  if (/^ExitNode\s/m.test(sample)) return 'exit-list';
  return isBulkList(body) ? 'bulk-exit-list' : null;
}

function isBulkList(body: string): boolean {
  let addresses = 0;
  let others = 0;
  for (const line of body.split('\n')) {
    const hash = line.indexOf('#');
    const content = (hash >= 0 ? line.slice(0, hash) : line).trim();
    if (content === '') continue;
    if (canonicalIp(content)) addresses++;
    else if (++others > 10 && addresses === 0) return false; // a long run of non-addresses: stop looking
  }
  return addresses > others && others <= Math.max(1, (addresses + others) * BULK_MAX_BAD_SHARE);
}
