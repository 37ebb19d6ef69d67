import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { bytes } from '@/lib/ingest/__fixtures__/byteStreams';
import { ingestFile } from '@/lib/ingest/ingestFile';
import { resetDatabase, useTestDatabase } from '../../../tests/integration';
import { relayHistoryCoverage } from './relayHistoryCoverage';

// The telemetry's period comes from the devices' spans clamped to the stored month partitions (no b-tree on the
// events' time: docs/architecture.md §4.6).

useTestDatabase();

const HEADER = 'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,LocalIP,ReportId';
const csv = (...rows: string[]) => `${HEADER}\r\n${rows.join('\r\n')}\r\n`;

describe('relay history coverage', () => {
  beforeEach(resetDatabase);

  it('spans the stored events, months without a complete archive listed; retention narrows it', async () => {
    expect(await relayHistoryCoverage(new Date('2024-06-01T00:00:00Z'))).toMatchObject({
      telemetryFrom: null,
      telemetryTo: null,
      missingMonths: [],
    });
    const file = csv(
      '2024-01-10T08:00:00.000001Z,dev-a,pc-a,ConnectionSuccess,192.0.2.1,443,10.0.0.2,1',
      '2024-03-05T09:00:00Z,dev-b,pc-b,ConnectionSuccess,192.0.2.2,443,10.0.0.3,1',
    );
    await ingestFile(bytes(file), { file: 'c.csv', via: 'cli', queueMatch: false, reopen: () => bytes(file) });
    // Empty months around them (another load's, or made ahead by the worker) do not widen it.
    await getPool().query(`SELECT ensure_event_partitions(ARRAY['2019-03-01Z', '2030-01-01Z']::timestamptz[])`);
    expect(await relayHistoryCoverage(new Date('2024-06-01T00:00:00Z'))).toMatchObject({
      telemetryFrom: '2024-01-10T08:00:00.000Z',
      telemetryTo: '2024-03-05T09:00:00.000Z',
      missingMonths: ['2024-01', '2024-02', '2024-03'],
    });
    // Retention drops January: the devices' spans stay, the coverage starts with the oldest month stored (March:
    // no event made a February partition).
    await getPool().query('DROP TABLE network_event_y2024m01');
    expect(await relayHistoryCoverage(new Date('2024-06-01T00:00:00Z'))).toMatchObject({
      telemetryFrom: '2024-03-01T00:00:00.000Z',
      telemetryTo: '2024-03-05T09:00:00.000Z',
      missingMonths: ['2024-03'],
    });
  });
});
