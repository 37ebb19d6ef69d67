import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '@/lib/ingest/ingestFile';
import { LOCAL_OPERATOR } from '@/lib/auth/localOperator';
import { exportHitRecords, exportHits } from '@/lib/queries/exportHits';
import type { CompatRecord, HitRecord } from '@/lib/queries/hitColumns';
import { runMatchPipeline } from '@/lib/pipeline/runMatchPipeline';
import { importRelaySnapshot } from '@/lib/relays/importRelaySnapshot';
import { resetDatabase, useTestDatabase } from './integration';

// The shared test vector (a copy of ../shared/examples/kql-parity): real-format relay lists and Defender exports with
// the answers the match engine must give, in both modes.
const DIR = path.join(import.meta.dirname, 'fixtures/kql-parity');
const meta = JSON.parse(readFileSync(path.join(DIR, 'meta.json'), 'utf8')) as {
  observed_at: string;
  grace_hours: number;
};
const expected = (file: string) =>
  parse(readFileSync(path.join(DIR, file)), { columns: true, bom: true }) as Record<string, string>[];

useTestDatabase();

// Compared as instants at microsecond precision: the inputs carry seven fractional digits (the last always 0).
const instant = (iso: string) => iso.replace(/\.(\d{1,6})\d*Z$/, (_, f: string) => `.${f.padEnd(6, '0')}Z`);
const unformula = (value: string | null) => (value ?? '').replace(/^'(?=[=+\-@\t\r])/, '');

async function loadTelemetry() {
  for (const file of ['DeviceInfo.csv', 'DeviceNetworkEvents.csv']) {
    const summary = await ingestFile(createReadStream(path.join(DIR, file)), { file, via: 'cli', queueMatch: false });
    expect(summary, file).toMatchObject({ status: 'committed', rejected: 0 });
  }
}

async function defaultHits(): Promise<HitRecord[]> {
  const rows: HitRecord[] = [];
  await exportHitRecords(LOCAL_OPERATOR, {}, (batch) => void rows.push(...(batch as HitRecord[])));
  return rows;
}

function hitKeys(rows: Array<Record<string, unknown>>): string[] {
  return rows
    .map((r) =>
      [
        instant(String(r.Timestamp)),
        r.DeviceId,
        r.RemoteIP,
        r.RemotePort,
        String(r.PortMatch),
        String(r.ViaExitAddress),
      ].join('|'),
    )
    .sort();
}

describe('KQL parity test vector', () => {
  beforeAll(() => {
    process.env.TORWATCH_MATCH_GRACE_HOURS = String(meta.grace_hours);
  });

  describe('with TorRelayIPs.csv', () => {
    beforeAll(async () => {
      await resetDatabase();
      await loadTelemetry();
      const relays = await importRelaySnapshot(readFileSync(path.join(DIR, 'relays.csv')), {
        source: 'relays.csv',
        observedAt: new Date(meta.observed_at),
      });
      expect(relays.status).toBe('imported');
      await runMatchPipeline({ mode: 'incremental', trigger: 'test' });
    });

    it('compat mode returns the rule’s rows with their multiplicity', async () => {
      const rows: CompatRecord[] = [];
      await exportHitRecords(LOCAL_OPERATOR, { compat: true }, (batch) => void rows.push(...(batch as CompatRecord[])));
      const key = (r: Record<string, string | null>) =>
        [
          instant(r.Timestamp!),
          r.DeviceId,
          r.LocalPublicIP ?? '',
          r.LocalIP ?? '',
          r.RemoteIP,
          r.TorIP,
          r.Hostname ?? '',
          r.CountryCode ?? '',
          r.ActionType ?? '',
          unformula(r.InitiatingProcessFileName),
          unformula(r.InitiatingProcessFolderPath),
        ].join('|');
      const want = expected('expected_compat.csv');
      expect(rows).toHaveLength(want.length);
      expect(rows.map(key).sort()).toEqual(want.map(key).sort());
    });

    it('compat output keeps the rule’s columns in its order, then HitId', async () => {
      let header = '';
      await exportHits(LOCAL_OPERATOR, { compat: true }, 'csv', async (chunk) => void (header ||= chunk));
      const want = readFileSync(path.join(DIR, 'expected_compat.csv'), 'utf8').split(/\r?\n/)[0];
      expect(header.trimEnd()).toBe(`${want},HitId`);
    });

    it('default mode returns one hit per matching event, with PortMatch', async () => {
      const hits = await defaultHits();
      expect(hitKeys(hits)).toEqual(hitKeys(expected('expected_hits.csv')));
    });
  });

  describe('with Onionoo details', () => {
    beforeAll(async () => {
      await resetDatabase();
      await loadTelemetry();
      const relays = await importRelaySnapshot(readFileSync(path.join(DIR, 'onionoo.json')), {
        source: 'onionoo.json',
      });
      expect(relays.status).toBe('imported');
      await runMatchPipeline({ mode: 'full', trigger: 'test' });
    });

    it('exit-address contacts become hits too', async () => {
      const hits = await defaultHits();
      expect(hitKeys(hits)).toEqual(hitKeys(expected('expected_hits_onionoo.csv')));
      expect(hits.filter((h) => h.ViaExitAddress).every((h) => h.IsExit && h.Confidence === 'low')).toBe(true);
    });
  });
});
