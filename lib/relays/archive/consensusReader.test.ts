import { describe, expect, it } from 'vitest';
import type { RelayReject } from '../types';
import { ConsensusHistory } from './consensusHistory';
import { ConsensusReader, ParseCaches } from './consensusReader';

const FP = 'C1B7C243883EA2D0BC7F5A6A86BA9DF6374F8BB4';
const identity = Buffer.from(FP, 'hex').toString('base64').replace(/=+$/, '');

function consensus(validAfter: string | null, entries: string[], microdesc = false): string {
  return [
    `@type network-status-${microdesc ? 'microdesc-' : ''}consensus-3 1.0`,
    'network-status-version 3',
    'vote-status consensus',
    ...(validAfter ? [`valid-after ${validAfter}`] : []),
    'fresh-until 2026-06-01 01:00:00',
    ...entries,
    'directory-footer',
    'directory-signature sha256 0 0',
    '',
  ].join('\n');
}

function read(text: string, flavour: 'ns' | 'microdesc' = 'ns', chunkSize = 7) {
  const history = new ConsensusHistory();
  const rejects: RelayReject[] = [];
  const reader = new ConsensusReader(history, flavour, rejects, new ParseCaches());
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunkSize) reader.feed(bytes.subarray(i, i + chunkSize));
  return { outcome: reader.end(), history, rejects };
}

describe('ConsensusReader', () => {
  it('reads r, a and s lines of both flavours, in any chunking', () => {
    const ns = read(
      consensus('2026-06-01 05:00:00', [
        `r nick1 ${identity} AAAAAAAAAAAAAAAAAAAAAAAAAAA 2026-05-31 20:00:00 192.0.2.7 9001 0`,
        'a [2001:DB8:0:0::1]:443',
        's Exit Fast Running Valid',
        'v Tor 0.4.8.12',
        'w Bandwidth=10',
      ]),
    );
    expect(ns.outcome).toMatchObject({ ok: true, relays: 1, rejected: 0 });
    expect(ns.history.keyCount).toBe(2);
    expect(ns.history.fingerprint).toEqual([FP, FP]);
    expect(ns.history.ip).toEqual(['192.0.2.7', '2001:db8::1']);
    expect(ns.history.port).toEqual([9001, 443]);
    expect(ns.history.runs[1]).toEqual([Date.UTC(2026, 5, 1, 5) / 3_600_000, Date.UTC(2026, 5, 1, 5) / 3_600_000]);
    expect(ns.history.flagList(ns.history.flagMask[1])).toEqual(['Exit', 'Fast', 'Running', 'Valid']);
    expect(ns.history.nickname[0]).toBe('nick1');

    const md = read(
      consensus(
        '2026-06-01 05:00:00',
        [`r nick1 ${identity} 2026-05-31 20:00:00 192.0.2.7 9001 0`, 'm sha256=x', 's Fast'],
        true,
      ),
      'microdesc',
    );
    expect(md.outcome).toMatchObject({ ok: true, relays: 1 });
    expect(md.history.ip).toEqual(['192.0.2.7']);
  });

  it('skips malformed r and a lines, counted with their line numbers', () => {
    const { outcome, rejects, history } = read(
      consensus('2026-06-01 05:00:00', [
        `r bad1 not-base64! AAAA 2026-05-31 20:00:00 192.0.2.7 9001 0`,
        `r bad2 ${identity} AAAA 2026-05-31 20:00:00 192.0.2.300 9001 0`,
        `r bad3 ${identity} AAAA 2026-05-31 20:00:00 192.0.2.8 70000 0`,
        `r good ${identity} AAAA 2026-05-31 20:00:00 192.0.2.9 9001 0`,
        'a [zz::1]:443',
      ]),
    );
    expect(outcome).toMatchObject({ ok: true, relays: 1, rejected: 4 });
    expect(rejects.map((r) => [r.line, r.field])).toEqual([
      [6, 'r'],
      [7, 'r'],
      [8, 'r'],
      [10, 'a'],
    ]);
    expect(rejects[1].reason).toBe('address "192.0.2.300" is not an IPv4 address');
    expect(history.runs.filter((runs) => runs.length)).toHaveLength(1);
  });

  it('refuses a document without valid-after, or cut before its footer, and keeps nothing of it', () => {
    const entry = `r n ${identity} AAAA 2026-05-31 20:00:00 192.0.2.7 9001 0`;
    const none = read(consensus(null, [entry]));
    expect(none.outcome).toMatchObject({ ok: false, reason: expect.stringMatching(/^no valid-after line/) });
    expect(none.history.hours.size).toBe(0);
    const cut = read(consensus('2026-06-01 05:00:00', [entry]).split('directory-footer')[0]);
    expect(cut.outcome).toMatchObject({ ok: false, reason: expect.stringContaining('truncated') });
    expect(cut.history.runs.every((runs) => runs.length === 0)).toBe(true);
  });
});
