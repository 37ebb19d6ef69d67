import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getAuth } from '@/lib/auth/auth';
import { createApiToken } from '@/lib/auth/apiTokens';
import { createUser } from '@/lib/auth/users';
import { getPool } from '@/lib/db/pool';
import { resetDatabase, useTestDatabase } from '../../../../tests/integration';
import { POST } from './route';
import { POST as UPLOAD } from '../../upload/route';

useTestDatabase();

const ORIGIN = 'http://torwatch.test';
const PASSWORD = 'correct horse battery staple';
const SAMPLE = readFileSync('/work/shared/examples/kql-parity/DeviceNetworkEvents.csv');
let ingestToken = '';
let readToken = '';
let analystCookie = '';
let viewerCookie = '';

async function cookieFor(email: string): Promise<string> {
  const response = await getAuth().handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ email, password: PASSWORD }),
    }),
  );
  expect(response.status).toBe(200);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

function post(
  body: BodyInit | null,
  headers: Record<string, string>,
  query = 'file=events.csv',
  route = POST,
): Promise<Response> {
  return route(
    new Request(`${ORIGIN}/api/v1/ingest?${query}`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit),
  );
}

async function eventCount(): Promise<number> {
  return Number((await getPool().query('SELECT count(*) AS n FROM network_event')).rows[0].n);
}

beforeAll(async () => {
  process.env.BETTER_AUTH_SECRET = 'test-secret-test-secret-test-secret-0123456789';
  await resetDatabase();
  await createUser({ email: 'analyst@example.org', role: 'analyst', password: PASSWORD });
  await createUser({ email: 'viewer@example.org', role: 'viewer', password: PASSWORD });
  ingestToken = (await createApiToken({ name: 'forwarder', scope: 'ingest' })).secret;
  readToken = (await createApiToken({ name: 'reader', scope: 'read' })).secret;
  analystCookie = await cookieFor('analyst@example.org');
  viewerCookie = await cookieFor('viewer@example.org');
});

afterEach(() => {
  delete process.env.TORWATCH_MAX_UPLOAD_BYTES;
});

describe('POST /api/v1/ingest', () => {
  it('401 without credentials or with a bad token; 403 for a read token and for a viewer', async () => {
    expect((await post(SAMPLE, {})).status).toBe(401);
    expect((await post(SAMPLE, { authorization: 'Bearer tw_nope' })).status).toBe(401);
    expect((await post(SAMPLE, { authorization: `Bearer ${readToken}` })).status).toBe(403);
    expect((await post(SAMPLE, { cookie: viewerCookie, origin: ORIGIN })).status).toBe(403);
    expect(await eventCount()).toBe(0);
  });

  it('ingests a raw body with an ingest token and answers the batch summary; the same body again adds nothing', async () => {
    const response = await post(SAMPLE, { authorization: `Bearer ${ingestToken}`, 'content-type': 'text/csv' });
    expect(response.status).toBe(200);
    const summary = await response.json();
    expect(summary).toMatchObject({
      file: 'events.csv',
      status: 'committed',
      read: 3000,
      inserted: 3000,
      rejected: 0,
      bytes: SAMPLE.length,
    });
    const again = await (await post(SAMPLE, { authorization: `Bearer ${ingestToken}` })).json();
    expect(again).toMatchObject({ inserted: 0, duplicate: 3000 });
    const batch = await getPool().query('SELECT via, actor FROM ingest_batch WHERE id = $1', [summary.batchId]);
    expect(batch.rows[0]).toEqual({ via: 'api', actor: 'forwarder' });
    const audit = await getPool().query(
      `SELECT actor, target FROM audit_log WHERE action = 'ingest.upload' ORDER BY id LIMIT 1`,
    );
    expect(audit.rows[0]).toEqual({ actor: 'forwarder', target: `batch:${summary.batchId}` });
  });

  it('takes a gzip body (Content-Encoding: gzip)', async () => {
    await resetTelemetry();
    const response = await post(gzipSync(SAMPLE), {
      authorization: `Bearer ${ingestToken}`,
      'content-encoding': 'gzip',
      'content-type': 'application/octet-stream',
    });
    expect(await response.json()).toMatchObject({ status: 'committed', inserted: 3000 });
  });

  it('415 for multipart, form posts and unknown encodings', async () => {
    const form = new FormData();
    form.set('file', new Blob([SAMPLE]), 'events.csv');
    const multipart = await post(form, { authorization: `Bearer ${ingestToken}` });
    expect(multipart.status).toBe(415);
    expect((await multipart.json()).error).toMatch(/multipart\/form-data/);
    expect(
      (
        await post('a=b', {
          authorization: `Bearer ${ingestToken}`,
          'content-type': 'application/x-www-form-urlencoded',
        })
      ).status,
    ).toBe(415);
    expect((await post(SAMPLE, { authorization: `Bearer ${ingestToken}`, 'content-encoding': 'br' })).status).toBe(415);
  });

  it('413 when the declared length is over the limit, and when a streamed body passes it (nothing committed)', async () => {
    await resetTelemetry();
    process.env.TORWATCH_MAX_UPLOAD_BYTES = '100000';
    const declared = await post(SAMPLE, {
      authorization: `Bearer ${ingestToken}`,
      'content-length': String(SAMPLE.length),
    });
    expect(declared.status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < SAMPLE.length; i += 16384) controller.enqueue(SAMPLE.subarray(i, i + 16384));
        controller.close();
      },
    });
    const streamed = await post(stream, { authorization: `Bearer ${ingestToken}` });
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ status: 'failed', inserted: 0 });
    expect(await eventCount()).toBe(0);
  });

  it('422 with the reason for a file that is not telemetry', async () => {
    const response = await post('not,telemetry\n1,2\n', { authorization: `Bearer ${ingestToken}` }, 'file=notes.csv');
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      status: 'refused',
      error: expect.stringMatching(/^notes\.csv:1: not a known telemetry format/),
    });
  });
});

describe('POST /api/upload (the Ingest page)', () => {
  it('takes an analyst session from this origin, and refuses tokens, viewers and foreign origins', async () => {
    await resetTelemetry();
    expect((await post(SAMPLE, { authorization: `Bearer ${ingestToken}` }, 'file=a.csv', UPLOAD)).status).toBe(403);
    expect((await post(SAMPLE, { cookie: viewerCookie, origin: ORIGIN }, 'file=a.csv', UPLOAD)).status).toBe(403);
    expect(
      (await post(SAMPLE, { cookie: analystCookie, origin: 'http://evil.test' }, 'file=a.csv', UPLOAD)).status,
    ).toBe(403);
    const response = await post(SAMPLE, { cookie: analystCookie, origin: ORIGIN }, 'file=C:%5Cexports%5Ca.csv', UPLOAD);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ file: 'a.csv', status: 'committed', inserted: 3000 });
  });
});

async function resetTelemetry(): Promise<void> {
  await getPool().query(
    'TRUNCATE network_event, device, device_info_record, ingest_reject, ingest_batch RESTART IDENTITY CASCADE',
  );
}
