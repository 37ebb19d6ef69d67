import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { bytes } from '@/lib/ingest/__fixtures__/byteStreams';
import { ingestFile, type IngestOptions } from '@/lib/ingest/ingestFile';
import { resetDatabase, useTestDatabase } from '../../tests/integration';

// An event's source and protocol are one key of event_transport (docs/architecture.md §4.6): whichever way an event
// is written — the direct COPY, the staging table, an insert into network_event_wide — it reads back with the same
// source and protocol, NULL as NULL, and equal pairs share one key.

useTestDatabase();

/** Defender rows, report id → protocol as the file gives it (an empty cell is no protocol). */
const DEFENDER: Array<[string, string]> = [
  ['1', 'Tcp'],
  ['2', 'Udp'],
  ['3', ''],
  ['4', 'Icmp \t"odd"\\ \u0001 ünï'], // a tab, quotes, a backslash, the loader's own key separator
  ['5', 'tcp'],
  ['6', 'Tcp'],
];
const DEFENDER_CSV =
  'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,LocalIP,Protocol,ReportId\r\n' +
  DEFENDER.map(
    ([report, protocol]) =>
      `2025-06-01T10:00:0${report}Z,dev-a,pc-a,ConnectionSuccess,192.0.2.${report},443,10.0.0.2,"${protocol.replaceAll('"', '""')}",${report}`,
  ).join('\r\n') +
  '\r\n';

/** Zeek conn.log rows, uid → proto (`-` is unset). */
const ZEEK: Array<[string, string]> = [
  ['C1', 'tcp'],
  ['C2', 'udp'],
  ['C3', '-'],
  ['C4', 'Tcp'],
];
const ZEEK_LOG =
  '#separator \\x09\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tconn_state\n' +
  ZEEK.map(
    ([uid, proto], i) => `174877200${i}.5\t${uid}\t10.0.0.1\t1000\t198.51.100.${i + 1}\t443\t${proto}\tSF\n`,
  ).join('');

const EXPECTED = [
  ...DEFENDER.map(([report, protocol]) => ({ report_id: report, source: 'defender', protocol: protocol || null })),
  ...ZEEK.map(([uid, proto]) => ({ report_id: uid, source: 'zeek', protocol: proto === '-' ? null : proto })),
].sort((a, b) => a.report_id.localeCompare(b.report_id));

async function stored(): Promise<Array<{ report_id: string; source: string; protocol: string | null }>> {
  const { rows } = await getPool().query(
    `SELECT report_id, source, protocol FROM network_event_wide ORDER BY report_id COLLATE "C"`,
  );
  return rows;
}

/** The dictionary's pairs, and how many keys there are. */
async function transports(): Promise<{ pairs: string[]; keys: number }> {
  const { rows } = await getPool().query<{ source: string; protocol: string | null }>(
    `SELECT source, protocol FROM event_transport ORDER BY source, protocol COLLATE "C" NULLS FIRST`,
  );
  return { pairs: rows.map((r) => `${r.source}:${r.protocol ?? 'NULL'}`), keys: rows.length };
}

const PAIRS = ['d:NULL', 'd:Icmp \t"odd"\\ \u0001 ünï', 'd:Tcp', 'd:Udp', 'd:tcp', 'z:NULL', 'z:Tcp', 'z:tcp', 'z:udp'];

const base: IngestOptions = { file: 'x', via: 'cli', queueMatch: false };

async function ingestBoth(direct: boolean): Promise<void> {
  for (const [file, text] of [
    ['DeviceNetworkEvents.csv', DEFENDER_CSV],
    ['conn.log', ZEEK_LOG],
  ]) {
    const options = { ...base, file, ...(direct ? { reopen: () => bytes(text) } : {}) };
    const result = await ingestFile(bytes(text), options);
    expect(result).toMatchObject({ status: 'committed', loader: direct ? 'direct' : 'staging', rejected: 0 });
  }
}

describe('event_transport', () => {
  beforeEach(resetDatabase);

  it('the direct COPY stores every source and protocol exactly, one key per distinct pair', async () => {
    await ingestBoth(true);
    expect(await stored()).toEqual(EXPECTED);
    expect(await transports()).toEqual({ pairs: PAIRS, keys: PAIRS.length });
  });

  it('the staging loader stores the same, and a pair stored already gets no second key', async () => {
    await ingestBoth(false);
    expect(await stored()).toEqual(EXPECTED);
    expect(await transports()).toEqual({ pairs: PAIRS, keys: PAIRS.length });
    // The direct loader on top (other events, the same pairs) reuses the keys.
    const again = DEFENDER_CSV.replaceAll('2025-06-01', '2025-07-01');
    await ingestFile(bytes(again), { ...base, reopen: () => bytes(again) });
    expect(await transports()).toEqual({ pairs: PAIRS, keys: PAIRS.length });
    const { rows } = await getPool().query(
      `SELECT count(DISTINCT transport_key)::int AS keys, count(*)::int AS events FROM network_event`,
    );
    expect(rows[0]).toEqual({ keys: PAIRS.length, events: DEFENDER.length * 2 + ZEEK.length });
  });

  it('an insert into network_event_wide stores the same', async () => {
    const pool = getPool();
    const batch = await pool.query(
      `INSERT INTO ingest_batch (source, file_name, status) VALUES ('test', 'x', 'committed') RETURNING id`,
    );
    for (const e of EXPECTED) {
      await pool.query(
        `INSERT INTO network_event_wide (ts, device_id, direction, report_id, source, protocol, batch_id)
         VALUES ('2025-06-01T10:00:00Z', 'dev-a', 'outbound', $1, $2, $3, $4)`,
        [e.report_id, e.source, e.protocol, batch.rows[0].id],
      );
    }
    expect(await stored()).toEqual(EXPECTED);
    expect(await transports()).toEqual({ pairs: PAIRS, keys: PAIRS.length });
    // The same events again: skipped, and no new pair.
    const repeat = await pool.query(
      `INSERT INTO network_event_wide (ts, device_id, direction, report_id, source, protocol, batch_id)
       VALUES ('2025-06-01T10:00:00Z', 'dev-a', 'outbound', '1', 'defender', 'Tcp', $1)`,
      [batch.rows[0].id],
    );
    expect(repeat.rowCount).toBe(0);
    expect((await transports()).keys).toBe(PAIRS.length);
  });

  it('network_event holds transport_key smallint NOT NULL between action_key and direction, no source or protocol', async () => {
    const { rows } = await getPool().query(
      `SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull AS not_null FROM pg_attribute
       WHERE attrelid = 'network_event'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    );
    const names = rows.map((r) => r.attname);
    expect(names).not.toContain('source');
    expect(names).not.toContain('protocol');
    const at = names.indexOf('transport_key');
    expect(names.slice(at - 1, at + 2)).toEqual(['action_key', 'transport_key', 'direction']);
    expect(rows[at]).toMatchObject({ type: 'smallint', not_null: true });
  });
});
