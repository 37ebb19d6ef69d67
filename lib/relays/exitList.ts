import { canonicalIp } from '../net/ip';
import { parseRelayDate } from './relayDates';
import { emptyRelayInfo, RelayDocumentBuilder } from './relayDocumentBuilder';
import { parseFingerprint } from './relayFingerprint';
import { RelayFormatError, type ParsedRelayDocument, type RelayInfo } from './types';

// Exit lists (docs/architecture.md §5.1). TorDNSEL (check.torproject.org/exit-addresses, CollecTor):
//   ExitNode <fingerprint> / Published <time> / LastStatus <time> / ExitAddress <ip> <scan time>, one or more
// ExitAddress lines per block, times UTC `YYYY-MM-DD hh:mm:ss`. CollecTor copies start with `@type tordnsel 1.0`
// and `Downloaded …`; lines with other keywords are skipped so a new keyword does not break the import.
// The bulk list (check.torproject.org/torbulkexitlist) is one address a line and names no relay.

/** Parses a TorDNSEL exit list: each ExitAddress becomes an `exit` observation stamped with its scan time. */
export function parseExitList(text: string): ParsedRelayDocument {
  const document = new RelayDocumentBuilder();
  let publishedAt: Date | null = null;
  // undefined: before the first ExitNode; null: inside a block whose fingerprint was rejected.
  let relay: RelayInfo | null | undefined;
  const finishBlock = () => {
    if (relay) document.addRelay(relay);
  };

  forEachLine(text, (content, line) => {
    const [keyword, ...args] = content.split(/\s+/);
    const value = args.join(' ');
    if (keyword === 'ExitNode') {
      finishBlock();
      document.rowsRead++;
      const fingerprint = parseFingerprint(value);
      if (!fingerprint)
        document.reject(line, 'ExitNode', `${JSON.stringify(value)} is not a 40-hex-digit relay fingerprint`);
      relay = fingerprint ? emptyRelayInfo(fingerprint) : null;
      return;
    }
    if (keyword !== 'Published' && keyword !== 'LastStatus' && keyword !== 'ExitAddress') return;
    if (relay === undefined) {
      document.reject(line, keyword, 'comes before any ExitNode line');
      return;
    }
    if (relay === null) return; // the block's ExitNode line was already counted as a reject
    if (keyword === 'ExitAddress') {
      readExitAddress(relay.fingerprint, args, line, document);
      return;
    }
    const date = parseRelayDate(value);
    if (!date) document.reject(line, keyword, `${JSON.stringify(value)} is not a date`);
    else if (keyword === 'LastStatus') relay.lastSeen = date;
    else if (!publishedAt || date > publishedAt) publishedAt = date;
  });
  finishBlock();
  if (document.rowsRead === 0) throw new RelayFormatError('no "ExitNode" lines: not a TorDNSEL exit list');
  return document.build('exit-list', publishedAt);
}

function readExitAddress(fingerprint: string, args: string[], line: number, document: RelayDocumentBuilder): void {
  const ip = canonicalIp(args[0] ?? '');
  if (!ip) {
    document.reject(line, 'ExitAddress', `${JSON.stringify(args[0] ?? '')} is not an IP address`);
    return;
  }
  const timeText = args.slice(1).join(' ');
  const observedAt = parseRelayDate(timeText);
  // A bad scan time loses only the time: the address still exited, as of the snapshot.
  if (!observedAt && timeText !== '') document.reject(line, 'ExitAddress', `${JSON.stringify(timeText)} is not a date`);
  document.addAddress({
    fingerprint,
    ip,
    port: 0,
    kind: 'exit',
    lastChanged: null,
    observedAt,
    hostname: null,
    country: null,
  });
}

/** Parses a bulk exit list: one address a line, `#` comments; the relay is unknown (fingerprint ''). */
export function parseBulkExitList(text: string): ParsedRelayDocument {
  const document = new RelayDocumentBuilder();
  forEachLine(text, (content, line) => {
    document.rowsRead++;
    const ip = canonicalIp(content);
    if (!ip) {
      document.reject(line, 'address', `${JSON.stringify(content)} is not an IP address`);
      return;
    }
    document.addAddress({
      fingerprint: '',
      ip,
      port: 0,
      kind: 'exit',
      lastChanged: null,
      observedAt: null,
      hostname: null,
      country: null,
    });
  });
  if (document.rowsRead === 0) throw new RelayFormatError('the list holds only comments and blank lines');
  return document.build('bulk-exit-list', null);
}

/** Calls `visit` with each line's content (trailing `#` comment and whitespace removed) and its 1-based number. */
function forEachLine(text: string, visit: (content: string, line: number) => void): void {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i].indexOf('#');
    const content = (hash >= 0 ? lines[i].slice(0, hash) : lines[i]).trim();
    if (content !== '') visit(content, i + 1);
  }
}
