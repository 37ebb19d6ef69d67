import type { RelayAddressPolicy } from './relayAddressPolicy';
import { canonicalIp, parseHostPort } from '../net/ip';
import { parseRelayDate } from './relayDates';
import { RelayDocumentBuilder } from './relayDocumentBuilder';
import { parseCountry, parseFingerprint } from './relayFingerprint';
import { RelayFormatError, type AddressKind, type ParsedRelayDocument } from './types';

// Onionoo details documents (https://metrics.torproject.org/onionoo.html#details). Times are UTC
// `YYYY-MM-DD hh:mm:ss`. `exit_addresses` are the addresses seen exiting in the 24 h before relays_published, so
// they carry no port and no last-change date. `bridges` hold hashed fingerprints and no addresses: ignored.

type Json = Record<string, unknown>;

/** Parses an Onionoo details document into relays and their OR, dir and exit addresses. */
export function parseOnionoo(text: string, policy: RelayAddressPolicy = {}): ParsedRelayDocument {
  const root = parseJson(text);
  if (!isObject(root) || !Array.isArray(root.relays)) {
    throw new RelayFormatError('not an Onionoo details document: no "relays" array at the top level');
  }
  const document = new RelayDocumentBuilder(policy);
  const publishedAt = readDate(root.relays_published, 'relays_published', document);
  root.relays.forEach((relay: unknown, index: number) => {
    document.rowsRead++;
    readRelay(relay, `relays[${index}]`, document);
  });
  if (document.rowsRead === 0) throw new RelayFormatError('the "relays" array is empty');
  return document.build('onionoo', publishedAt);
}

function readRelay(relay: unknown, path: string, document: RelayDocumentBuilder): void {
  if (!isObject(relay)) {
    document.reject(null, path, 'is not a JSON object');
    return;
  }
  const fingerprint = typeof relay.fingerprint === 'string' ? parseFingerprint(relay.fingerprint) : null;
  if (!fingerprint) {
    document.reject(
      null,
      `${path}.fingerprint`,
      `${JSON.stringify(relay.fingerprint ?? null)} is not a 40-hex-digit relay fingerprint`,
    );
    return;
  }
  let country = parseCountry(typeof relay.country === 'string' ? relay.country : null);
  if (country === undefined) {
    document.reject(null, `${path}.country`, `${JSON.stringify(relay.country)} is not a two-letter country code`);
    country = null;
  }
  const hostnames = strings(relay.verified_host_names);
  const lastChanged = readDate(relay.last_changed_address_or_port, `${path}.last_changed_address_or_port`, document);
  const observe = (ip: string, port: number, kind: AddressKind, field: string) =>
    document.addAddress(
      {
        fingerprint,
        ip,
        port,
        kind,
        lastChanged: kind === 'exit' ? null : lastChanged,
        observedAt: null,
        hostname: hostnames.length ? hostnames.join(' ') : null,
        country,
      },
      { line: null, field },
    );

  forEachString(relay, 'or_addresses', path, document, (value, field) => {
    const parsed = parseHostPort(value);
    if (parsed && parsed.port > 0) observe(parsed.ip, parsed.port, 'or', field);
    else document.reject(null, field, `${JSON.stringify(value)} is not an address:port`);
  });
  forEachString(relay, 'exit_addresses', path, document, (value, field) => {
    const ip = canonicalIp(value);
    if (ip) observe(ip, 0, 'exit', field);
    else document.reject(null, field, `${JSON.stringify(value)} is not an IP address`);
  });
  if (typeof relay.dir_address === 'string' && relay.dir_address !== '') {
    const parsed = parseHostPort(relay.dir_address);
    if (parsed && parsed.port > 0) observe(parsed.ip, parsed.port, 'dir', `${path}.dir_address`);
    else document.reject(null, `${path}.dir_address`, `${JSON.stringify(relay.dir_address)} is not an address:port`);
  }

  document.addRelay({
    fingerprint,
    nickname: typeof relay.nickname === 'string' ? relay.nickname : null,
    country,
    flags: strings(relay.flags),
    asNumber: typeof relay.as === 'string' ? relay.as : null,
    asName: typeof relay.as_name === 'string' ? relay.as_name : null,
    hostnames,
    firstSeen: readDate(relay.first_seen, `${path}.first_seen`, document),
    lastSeen: readDate(relay.last_seen, `${path}.last_seen`, document),
    running: typeof relay.running === 'boolean' ? relay.running : null,
    consensusWeight: typeof relay.consensus_weight === 'number' ? relay.consensus_weight : null,
  });
}

function forEachString(
  relay: Json,
  key: string,
  path: string,
  document: RelayDocumentBuilder,
  visit: (value: string, field: string) => void,
): void {
  const list = relay[key];
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) {
    document.reject(null, `${path}.${key}`, 'is not a list');
    return;
  }
  list.forEach((value, index) => {
    const field = `${path}.${key}[${index}]`;
    if (typeof value === 'string') visit(value, field);
    else document.reject(null, field, `${JSON.stringify(value)} is not a string`);
  });
}

/** A date field; an unreadable value is counted as a reject and read as null. */
function readDate(value: unknown, field: string, document: RelayDocumentBuilder): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const date = typeof value === 'string' ? parseRelayDate(value) : null;
  if (!date) document.reject(null, field, `${JSON.stringify(value)} is not a date`);
  return date;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // V8 reports a cut-off document either as "end of JSON input" or as an error at the very last position.
    const position = /at position (\d+)/.exec(detail);
    const truncated =
      /end of (JSON )?input/i.test(detail) || (position !== null && Number(position[1]) >= text.trimEnd().length);
    throw new RelayFormatError(
      truncated ? `the JSON ends early — the download looks truncated (${detail})` : `not valid JSON (${detail})`,
    );
  }
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
