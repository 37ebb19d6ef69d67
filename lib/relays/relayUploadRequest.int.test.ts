import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpError } from '@/lib/http/httpError';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { fingerprintOf, torRelayCsv } from './__fixtures__/relayDocuments';
import { relayUploadQuery, relayUploadRequest } from './relayUploadRequest';

useTestDatabase();
beforeEach(resetDatabase);
afterEach(() => {
  delete process.env.TORWATCH_FEED_MAX_MB;
});

const analyst: Actor = { kind: 'user', id: 'a', label: 'a@example.test', role: 'analyst' };
const csv = (count: number) =>
  torRelayCsv(
    Array.from({ length: count }, (_, n) => ({
      nickname: `r${n}`,
      fingerprint: fingerprintOf(n + 1),
      ip: `192.0.2.${n + 1}`,
      port: 9001,
    })),
  );
const upload = (body: Buffer, query: Record<string, string> = {}) =>
  relayUploadRequest(
    new Request('http://torwatch.test/api/v1/relays/import', { method: 'POST', body: new Uint8Array(body) }),
    analyst,
    relayUploadQuery.parse({ file: 'TorRelayIPs.csv', ...query }),
  );

describe('relay upload', () => {
  it('imports the body (gzipped too), audits it, and answers 422 when refused', async () => {
    const first = await upload(gzipSync(csv(6)), { observedAt: '2026-03-10T12:00:00Z' });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ status: 'imported', relays: 6, addresses: 6, intervalsAdded: 6 });
    const refused = await upload(csv(2), { observedAt: '2026-03-11T12:00:00' });
    expect(refused.status).toBe(422);
    expect((await refused.json()).reason).toMatch(/^TorRelayIPs\.csv: implausible: 2 relays, under half of the 6/);
    expect((await upload(csv(2), { observedAt: '2026-03-11T12:00:00', force: '1' })).status).toBe(200);
    const audit = await getPool().query(
      `SELECT action, target, details->>'status' AS status FROM audit_log ORDER BY id`,
    );
    expect(audit.rows).toEqual([
      { action: 'relays.import', target: 'TorRelayIPs.csv', status: 'imported' },
      { action: 'relays.import', target: 'TorRelayIPs.csv', status: 'refused' },
      { action: 'relays.import', target: 'TorRelayIPs.csv', status: 'imported' },
    ]);
  });

  it('refuses a body over the size limit with 413, and an empty one with 400', async () => {
    process.env.TORWATCH_FEED_MAX_MB = '0.001';
    await expect(upload(csv(40))).rejects.toMatchObject({
      status: 413,
      message: expect.stringContaining('larger than the'),
    });
    await expect(upload(Buffer.alloc(0))).rejects.toThrow(HttpError);
    expect((await getPool().query('SELECT count(*)::int AS n FROM relay_snapshot')).rows[0].n).toBe(0);
  });

  it('rejects a bad observedAt in the query', () => {
    expect(() => relayUploadQuery.parse({ observedAt: 'yesterday' })).toThrow(/not an ISO 8601 time/);
  });
});
