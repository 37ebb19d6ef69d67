import { CsvError, parse } from 'csv-parse/sync';
import { canonicalIp, parseHostPort, parsePort } from '../net/ip';
import { parseRelayDate } from './relayDates';
import { RelayDocumentBuilder } from './relayDocumentBuilder';
import { parseCountry, parseFingerprint } from './relayFingerprint';
import { RelayFormatError, type ParsedRelayDocument, type RelayAddressObservation } from './types';

// Over 250 lines because it is one format with two generations and their quirks, read by header name; the value
// parsers it needs already live apart (relayDates.ts, relayFingerprint.ts, lib/net/ip.ts).
// TorRelayIPs.csv (docs/architecture.md §5.1). v2: row per OR address (IPAddress, Port, EntryAddress); v1: IPv4Address,
// `IPv4Port` and a bracketed `IPv6Address` with its port. Columns are found by header name, never by position: the
// KQL rule calls the date column `LastChangedIPData`, the generator `IPLastChangeDate`, and some copies add
// `RelayPublishDate`. `IsRunning` is never filled in by the generator and `AddressType` follows from the address.

type Column =
  | 'nickname'
  | 'fingerprint'
  | 'entryAddress'
  | 'ipAddress'
  | 'port'
  | 'hostname'
  | 'countryCode'
  | 'lastChanged'
  | 'ipv4Address'
  | 'ipv4Port'
  | 'ipv6Address';

const HEADER_NAMES: Record<string, Column> = {
  nickname: 'nickname',
  fingerprint: 'fingerprint',
  entryaddress: 'entryAddress',
  ipaddress: 'ipAddress',
  port: 'port',
  hostname: 'hostname',
  countrycode: 'countryCode',
  iplastchangedate: 'lastChanged',
  lastchangedipdata: 'lastChanged',
  ipv4address: 'ipv4Address',
  ipv4port: 'ipv4Port',
  ipv6address: 'ipv6Address',
};

interface Row {
  line: number;
  has(column: Column): boolean;
  get(column: Column): string;
  label(column: Column): string; // the column's name as the file writes it, for rejects
}

/** Parses a TorRelayIPs.csv document (v2 or v1, CRLF or LF, any quoting) into OR-address observations. */
export function parseTorRelayCsv(text: string): ParsedRelayDocument {
  // csv-parse miscounts lines inside quoted fields with CRLF; LF-only text keeps reject line numbers exact.
  const records = readRecords(text.replace(/\r\n?/g, '\n'));
  let line = 1;
  let headerIndex = 0;
  // Blank lines, and the `#TYPE <class>` line PowerShell's Export-Csv writes by default, may precede the header.
  for (; headerIndex < records.length && isPreamble(records[headerIndex].record); headerIndex++) {
    line += countNewlines(records[headerIndex].raw);
  }
  if (headerIndex === records.length) throw new RelayFormatError('the file is empty');
  const header = records[headerIndex].record;
  const headerLine = line;
  line += countNewlines(records[headerIndex].raw);
  const columns = mapHeader(header, headerLine);
  // v1 rows also carry EntryAddress, so only IPAddress tells v2 apart.
  const isV1 = !columns.has('ipAddress') && (columns.has('ipv4Address') || columns.has('ipv6Address'));
  const width = header.length;

  const document = new RelayDocumentBuilder();
  for (let i = headerIndex + 1; i < records.length; i++) {
    const { record, raw } = records[i];
    const rowLine = line;
    line += countNewlines(raw);
    if (isBlank(record)) continue;
    document.rowsRead++;
    const extra = record.slice(width);
    if (record.length < width || extra.some((value) => value !== '')) {
      document.reject(rowLine, 'row', `has ${record.length} fields, the header has ${width}`);
      continue;
    }
    const row: Row = {
      line: rowLine,
      has: (column) => columns.has(column),
      get: (column) => {
        const index = columns.get(column);
        return index === undefined ? '' : record[index];
      },
      label: (column) => header[columns.get(column) ?? -1] ?? column,
    };
    readRow(row, isV1, document);
  }
  if (document.rowsRead === 0)
    throw new RelayFormatError(`line ${headerLine}: the file has a header but no relay rows`);
  return document.build('torrelayips-csv', null);
}

function readRow(row: Row, isV1: boolean, document: RelayDocumentBuilder): void {
  const fingerprint = parseFingerprint(row.get('fingerprint'));
  if (!fingerprint) {
    document.reject(
      row.line,
      row.label('fingerprint'),
      `${quote(row.get('fingerprint'))} is not a 40-hex-digit relay fingerprint`,
    );
    return;
  }
  const addresses = isV1 ? readV1Addresses(row, document) : readV2Address(row, document);
  if (addresses.length === 0) return;

  let country = parseCountry(row.get('countryCode'));
  if (country === undefined) {
    document.reject(
      row.line,
      row.label('countryCode'),
      `${quote(row.get('countryCode'))} is not a two-letter country code`,
    );
    country = null;
  }
  const dateText = row.get('lastChanged');
  const lastChanged = parseRelayDate(dateText);
  if (!lastChanged && dateText.trim() !== '') {
    document.reject(row.line, row.label('lastChanged'), `${quote(dateText)} is not a date`);
  }
  const hostname = row.get('hostname').trim() || null;
  for (const { ip, port } of addresses) {
    const observation: RelayAddressObservation = {
      fingerprint,
      ip,
      port,
      kind: 'or',
      lastChanged,
      observedAt: null,
      hostname,
      country,
    };
    document.addAddress(observation);
  }
  document.addRelay({
    fingerprint,
    nickname: row.get('nickname').trim() || null,
    country,
    flags: [],
    asNumber: null,
    asName: null,
    hostnames: hostname ? hostname.split(/\s+/) : [],
    firstSeen: null,
    lastSeen: null,
    running: null,
    consensusWeight: null,
  });
}

type Address = { ip: string; port: number };

function readV2Address(row: Row, document: RelayDocumentBuilder): Address[] {
  const ipText = row.get('ipAddress');
  if (row.has('ipAddress') && row.has('port') && ipText.trim() !== '') {
    const ip = canonicalIp(ipText);
    if (!ip) return rejectAddress(row, document, 'ipAddress', `${quote(ipText)} is not an IP address`);
    const port = parseOrPort(row.get('port'));
    if (port === null) return rejectAddress(row, document, 'port', `${quote(row.get('port'))} is not a port (1-65535)`);
    return [{ ip, port }];
  }
  const entry = row.get('entryAddress');
  if (entry.trim() !== '') return hostPort(row, document, 'entryAddress');
  return rejectAddress(row, document, row.has('ipAddress') ? 'ipAddress' : 'entryAddress', 'missing address');
}

function readV1Addresses(row: Row, document: RelayDocumentBuilder): Address[] {
  const addresses: Address[] = [];
  const ipv4Text = row.get('ipv4Address');
  if (ipv4Text.trim() !== '') {
    const ip = canonicalIp(ipv4Text);
    const port = parseOrPort(row.get('ipv4Port'));
    if (!ip) rejectAddress(row, document, 'ipv4Address', `${quote(ipv4Text)} is not an IP address`);
    else if (port === null)
      rejectAddress(row, document, 'ipv4Port', `${quote(row.get('ipv4Port'))} is not a port (1-65535)`);
    else addresses.push({ ip, port });
  }
  // v1 keeps IPv6 as written in Onionoo: `[2001:db8::1]:443`.
  if (row.get('ipv6Address').trim() !== '') addresses.push(...hostPort(row, document, 'ipv6Address'));
  if (ipv4Text.trim() === '' && row.get('ipv6Address').trim() === '') {
    if (row.get('entryAddress').trim() !== '') return hostPort(row, document, 'entryAddress');
    return rejectAddress(row, document, 'ipv4Address', 'missing address');
  }
  return addresses;
}

function hostPort(row: Row, document: RelayDocumentBuilder, column: Column): Address[] {
  const parsed = parseHostPort(row.get(column));
  if (!parsed || parsed.port === 0) {
    return rejectAddress(
      row,
      document,
      column,
      `${quote(row.get(column))} is not an address:port (1.2.3.4:9001 or [2001:db8::1]:443)`,
    );
  }
  return [parsed];
}

function rejectAddress(row: Row, document: RelayDocumentBuilder, column: Column, reason: string): Address[] {
  document.reject(row.line, row.label(column), reason);
  return [];
}

/** An ORPort: port 0 means "none", which a listed address cannot have. */
function parseOrPort(text: string): number | null {
  const port = parsePort(text);
  return port ? port : null;
}

function mapHeader(header: string[], line: number): Map<Column, number> {
  const columns = new Map<Column, number>();
  header.forEach((name, index) => {
    const column = HEADER_NAMES[name.trim().toLowerCase()];
    if (column && !columns.has(column)) columns.set(column, index);
  });
  const got = quote(header.join(', '));
  if (!columns.has('nickname') || !columns.has('fingerprint')) {
    throw new RelayFormatError(
      `line ${line}: header: expected TorRelayIPs.csv columns (Nickname, Fingerprint, …), got ${got}`,
    );
  }
  const v2 = (columns.has('ipAddress') && columns.has('port')) || columns.has('entryAddress');
  const v1 = columns.has('ipv4Address') || columns.has('ipv6Address');
  if (!v1 && !v2) {
    throw new RelayFormatError(
      `line ${line}: header: no address columns (IPAddress and Port, EntryAddress, or v1 IPv4Address/IPv6Address), got ${got}`,
    );
  }
  return columns;
}

function readRecords(text: string): Array<{ record: string[]; raw: string }> {
  try {
    return parse(text, {
      raw: true,
      bom: true,
      trim: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: false,
    }) as unknown as Array<{ record: string[]; raw: string }>;
  } catch (error) {
    if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED') {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new RelayFormatError(
        `line ${line}: a quoted field is never closed — the file looks truncated or badly quoted`,
      );
    }
    if (error instanceof CsvError) throw new RelayFormatError(`not readable as CSV: ${error.message}`);
    throw error;
  }
}

function isPreamble(record: string[]): boolean {
  return isBlank(record) || record[0].startsWith('#TYPE');
}

function isBlank(record: string[]): boolean {
  return record.length === 1 && record[0] === '';
}

function countNewlines(raw: string): number {
  let count = 0;
  for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) count++;
  return count;
}

function quote(value: string): string {
  const shown = value.length > 120 ? `${value.slice(0, 120)}…` : value;
  return JSON.stringify(shown);
}
