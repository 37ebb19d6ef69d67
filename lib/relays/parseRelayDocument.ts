import type { RelayAddressPolicy } from './relayAddressPolicy';
import { detectRelayFormat } from './detectRelayFormat';
import { parseBulkExitList, parseExitList } from './exitList';
import { parseOnionoo } from './onionoo';
import { parseTorRelayCsv } from './torRelayCsv';
import { RelayFormatError, type ParsedRelayDocument, type RelayFormat } from './types';

const PARSERS: Record<RelayFormat, (text: string, policy: RelayAddressPolicy) => ParsedRelayDocument> = {
  'torrelayips-csv': parseTorRelayCsv,
  onionoo: parseOnionoo,
  'exit-list': parseExitList,
  'bulk-exit-list': parseBulkExitList,
};

export interface ParseRelayDocumentOptions {
  format?: RelayFormat | 'auto';
  name?: string; // file name or URL, prefixed to error messages
  /** TorWatch's own demo data and fixtures only: documentation-range relay addresses are kept. */
  acceptDocumentationAddresses?: boolean;
}

/**
 * Parses one relay feed document. Row-level problems become rejects; a document that cannot be a relay feed at all
 * throws RelayFormatError with a message that starts with `options.name`.
 */
export function parseRelayDocument(
  input: Buffer | string,
  options: ParseRelayDocumentOptions = {},
): ParsedRelayDocument {
  try {
    const text = decode(input);
    refuseNonFeed(text);
    const format = !options.format || options.format === 'auto' ? chooseFormat(text) : options.format;
    return PARSERS[format](text, { acceptDocumentationAddresses: options.acceptDocumentationAddresses });
  } catch (error) {
    if (error instanceof RelayFormatError && options.name)
      throw new RelayFormatError(`${options.name}: ${error.message}`);
    throw error;
  }
}

function decode(input: Buffer | string): string {
  if (typeof input !== 'string') {
    if (input[0] === 0x1f && input[1] === 0x8b) {
      throw new RelayFormatError('the file is gzip-compressed: decompress it first (gunzip)');
    }
    // Windows tools (Notepad, PowerShell's Out-File) save UTF-16 with a byte-order mark.
    if (input[0] === 0xff && input[1] === 0xfe) return input.subarray(2).toString('utf16le');
    if (input[0] === 0xfe && input[1] === 0xff) {
      return Buffer.from(input.subarray(2, input.length - (input.length % 2)))
        .swap16()
        .toString('utf16le');
    }
  }
  const text = typeof input === 'string' ? input : input.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Documents that are plainly not a feed: empty, binary, or a web page served in its place. */
function refuseNonFeed(text: string): void {
  const start = text.trimStart().slice(0, 1024);
  if (start === '') throw new RelayFormatError('the document is empty');
  if (start.includes('\u0000')) throw new RelayFormatError('looks like a binary file, not a relay feed');
  if (!start.startsWith('<')) return;
  if (/<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]/i.test(start)) {
    throw new RelayFormatError(
      'looks like HTML, not a relay feed: a web page (login, proxy or error page) answered instead of the feed',
    );
  }
  throw new RelayFormatError(`looks like XML or markup, not a relay feed (an error response?): ${firstLine(start)}`);
}

function chooseFormat(text: string): RelayFormat {
  const detected = detectRelayFormat(text);
  if (detected) return detected;
  const body = text.trimStart();
  // Let the closest parser explain what is wrong: JSON errors from the Onionoo parser, header errors from the CSV one.
  if (body.startsWith('{') || body.startsWith('[')) return 'onionoo';
  if (/[,;\t]/.test(firstLine(body.replace(/^(#.*\n)+/, '')))) return 'torrelayips-csv';
  throw new RelayFormatError(
    'no recognisable relay feed: expected a TorRelayIPs.csv header (Nickname, Fingerprint, …), an Onionoo details ' +
      `JSON object, TorDNSEL "ExitNode" lines, or one IP address a line; it starts with ${firstLine(body)}`,
  );
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0].trim();
  return JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}…` : line);
}
