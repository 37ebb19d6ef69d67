import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgBoss } from 'pg-boss';
import { getPool } from '@/lib/db/pool';
import { QueryForbiddenError } from '@/lib/auth/authorise';
import { createSuppressionRule } from '@/lib/triage/suppressionRules';
import { addRelaysAndUsers, admin, analyst, ingestAndMatch } from '@/lib/triage/__fixtures__/triageFixture';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { deliverWebhook, MAX_ATTEMPTS } from './deliverWebhook';
import { listWebhookDeliveries } from './listWebhookDeliveries';
import { listWebhooks } from './listWebhooks';
import { SIGNATURE_HEADER, verifySignature } from './signature';
import { webhookDeliverJob } from './webhookDeliverJob';
import { deleteWebhook, retryDelivery, saveWebhook, sendTestWebhook } from './webhooks';
import { startWebhookReceiver, type WebhookReceiver } from './__fixtures__/webhookReceiver';

useTestDatabase();

const SECRET = 'correct horse battery staple';
let receiver: WebhookReceiver;
let boss: PgBoss;

async function deliveries() {
  const { rows } = await getPool().query(
    `SELECT d.id::text, w.name, d.match_run_id AS "runId", d.hit_count AS "hitCount", d.status, d.attempts, d.response_code AS code, d.error
     FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id ORDER BY d.id`,
  );
  return rows;
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out; deliveries: ${JSON.stringify(await deliveries())}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const event = (deviceId: string, ts: string, remotePort: number, extra: Record<string, unknown> = {}) => ({
  ts,
  deviceId,
  remoteIp: '198.51.100.7',
  remotePort,
  ...extra,
});

describe('alert webhooks', () => {
  beforeAll(async () => {
    await resetDatabase();
    await addRelaysAndUsers();
    receiver = await startWebhookReceiver();
    // The real queue, worked by the real handler; retries 1 s apart so the test does not wait for the production backoff.
    boss = new PgBoss({ connectionString: process.env.DATABASE_URL!, schema: 'pgboss' });
    boss.on('error', () => {});
    await boss.start();
    await boss.createQueue('webhook-deliver', { retryLimit: MAX_ATTEMPTS - 1, retryDelay: 1, retryBackoff: false });
    await boss.work<Record<string, unknown>>(
      'webhook-deliver',
      { batchSize: 1, pollingIntervalSeconds: 0.5 },
      async ([job]) => webhookDeliverJob(job.data),
    );
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false, close: true });
    await receiver?.close();
  });

  it('is configured by admins only, and keeps the secret write-only', async () => {
    await expect(
      saveWebhook(analyst, null, { name: 'x', url: 'https://example.test/', format: 'slack', minConfidence: 'high' }),
    ).rejects.toBeInstanceOf(QueryForbiddenError);
    await expect(
      saveWebhook(admin, null, { name: 'x', url: 'file:///etc/passwd', format: 'slack', minConfidence: 'high' }),
    ).rejects.toThrow(/http\(s\) URL/);
    await saveWebhook(admin, null, {
      name: 'slack',
      url: receiver.url('/slack'),
      format: 'slack',
      minConfidence: 'high',
      secret: SECRET,
    });
    await saveWebhook(admin, null, {
      name: 'generic',
      url: receiver.url('/generic'),
      format: 'generic',
      minConfidence: 'medium',
    });
    await saveWebhook(admin, null, {
      name: 'off',
      url: receiver.url('/off'),
      format: 'teams',
      minConfidence: 'low',
      enabled: false,
    });
    const hooks = await listWebhooks(admin);
    expect(hooks.map((h) => [h.name, h.hasSecret])).toEqual([
      ['generic', false],
      ['off', false],
      ['slack', true],
    ]);
    expect(JSON.stringify(hooks)).not.toContain(SECRET);
    const { rows } = await getPool().query(`SELECT details::text FROM audit_log WHERE action = 'webhook.create'`);
    expect(rows.map((r) => r.details).join()).not.toContain(SECRET);
  });

  it("batches a match run's new hits per webhook at its confidence, signs the raw body, and retries through pg-boss", async () => {
    await createSuppressionRule(analyst, { deviceId: 'lab-1', reason: 'Sanctioned research machine' });
    receiver.script('/slack', 503); // the first attempt fails; pg-boss retries
    const runId = await ingestAndMatch([
      event('laptop-1', '2026-11-10T10:00:00Z', 9001), // high
      event('laptop-2', '2026-11-10T11:00:00Z', 9001), // high
      event('laptop-3', '2026-11-10T12:00:00Z', 80), // medium: an OR address, not its port
      event('lab-1', '2026-11-10T13:00:00Z', 9001), // high but suppressed: never alerts
    ]);
    await until(async () => (await deliveries()).every((d) => d.status !== 'pending'));
    const rows = await deliveries();
    expect(rows.map((d) => [d.name, d.runId, d.hitCount, d.status, d.attempts, d.code])).toEqual([
      ['slack', runId, 2, 'delivered', 2, 200],
      ['generic', runId, 3, 'delivered', 1, 200],
    ]);
    const slack = receiver.requests.filter((r) => r.path === '/slack');
    expect(slack).toHaveLength(2);
    expect(slack[0].body).toBe(slack[1].body);
    expect(verifySignature(SECRET, slack[1].body, slack[1].headers[SIGNATURE_HEADER.toLowerCase()] as string)).toBe(
      true,
    );
    expect(
      verifySignature('wrong secret', slack[1].body, slack[1].headers[SIGNATURE_HEADER.toLowerCase()] as string),
    ).toBe(false);
    const message = JSON.parse(slack[1].body);
    expect(message.text).toContain('2 new Tor hits');
    expect(message.blocks[1].text.text).toContain('laptop-1.corp');
    expect(message.blocks[1].text.text).not.toContain('lab-1');
    const generic = receiver.requests.filter((r) => r.path === '/generic');
    expect(generic).toHaveLength(1);
    expect(generic[0].headers[SIGNATURE_HEADER.toLowerCase()]).toBeUndefined();
    const body = JSON.parse(generic[0].body);
    expect(body).toMatchObject({ event: 'torwatch.hits.new', matchRunId: runId, hitCount: 3, truncated: false });
    expect(
      body.hits.map((h: { deviceId: string; confidence: string }) => `${h.deviceId}:${h.confidence}`).sort(),
    ).toEqual(['laptop-1:high', 'laptop-2:high', 'laptop-3:medium']);
    expect(receiver.requests.some((r) => r.path === '/off')).toBe(false);
  });

  it('sends nothing for a run without qualifying hits', async () => {
    const before = (await deliveries()).length;
    await ingestAndMatch([event('lab-1', '2026-11-11T10:00:00Z', 9001)]); // suppressed
    expect((await deliveries()).length).toBe(before);
  });

  it('gives up on a refusal at once, on a timeout after the last attempt, and escapes telemetry in Slack text', async () => {
    await boss.offWork('webhook-deliver'); // attempts by hand from here
    const hookId = await saveWebhook(admin, null, {
      name: 'direct',
      url: receiver.url('/direct'),
      format: 'slack',
      minConfidence: 'low',
    });
    const insert = async (attempts: number) =>
      (
        await getPool().query<{ id: string }>(
          `INSERT INTO webhook_delivery (webhook_id, hit_count, payload, attempts) VALUES ($1, 1, '{"text":"x"}', $2) RETURNING id::text`,
          [hookId, attempts],
        )
      ).rows[0].id;
    receiver.script('/direct', 400);
    const refused = await insert(0);
    expect(await deliverWebhook(refused)).toBe('failed');
    process.env.TORWATCH_WEBHOOK_TIMEOUT_MS = '300';
    try {
      receiver.script('/direct', { status: 200, delayMs: 2000 }, { status: 200, delayMs: 2000 });
      const slow = await insert(0);
      await expect(deliverWebhook(slow, { throwOnRetry: true })).rejects.toThrow(
        /no response within 300 ms \(attempt 1 of 6\)/,
      );
      const last = await insert(MAX_ATTEMPTS - 1);
      expect(await deliverWebhook(last)).toBe('failed');
    } finally {
      delete process.env.TORWATCH_WEBHOOK_TIMEOUT_MS;
    }
    const log = await listWebhookDeliveries(admin, { webhookId: hookId });
    expect(log.map((d) => [d.status, d.attempts, d.responseCode, d.error?.replace(/\d+ ms/, 'N ms')])).toEqual([
      ['failed', MAX_ATTEMPTS, null, 'no response within N ms'],
      ['pending', 1, null, 'no response within N ms'],
      ['failed', 1, 400, 'HTTP 400'],
    ]);
    const { alertPayload } = await import('./alertPayload');
    const payload = alertPayload('slack', {
      matchRunId: 1,
      total: 1,
      publicUrl: null,
      hits: [
        {
          id: '1',
          ts: 't',
          deviceId: '<https://evil.test|click>',
          deviceName: null,
          processFileName: 'a&b.exe',
          remoteIp: '198.51.100.7',
          remotePort: 9001,
          direction: 'outbound',
          relayNicknames: [],
          country: null,
          confidence: 'high',
        },
      ],
    });
    expect(JSON.stringify(payload)).toContain('&lt;https://evil.test|click&gt;');
    expect(JSON.stringify(payload)).toContain('a&amp;b.exe');
  });

  it('test-sends now and records it; an admin can retry a failed delivery', async () => {
    const [slackHook] = (await listWebhooks(admin)).filter((h) => h.name === 'slack');
    const result = await sendTestWebhook(admin, slackHook.id);
    expect(result).toEqual({ outcome: 'delivered', responseCode: 200, error: null });
    const test = receiver.requests.at(-1)!;
    expect(JSON.parse(test.body).text).toContain('test message');
    expect(verifySignature(SECRET, test.body, test.headers[SIGNATURE_HEADER.toLowerCase()] as string)).toBe(true);
    const failed = (await listWebhookDeliveries(admin)).find((d) => d.status === 'failed' && d.responseCode === 400)!;
    await retryDelivery(admin, failed.id);
    expect((await listWebhookDeliveries(admin)).find((d) => d.id === failed.id)).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
    await expect(retryDelivery(admin, (await deliveries())[0].id)).rejects.toThrow(/was delivered/);
    await deleteWebhook(admin, slackHook.id);
    expect((await listWebhooks(admin)).some((h) => h.name === 'slack')).toBe(false);
  });

  it('refuses a webhook URL on a private address once, without retrying and without connecting', async () => {
    const allowed = process.env.TORWATCH_OUTBOUND_ALLOW;
    delete process.env.TORWATCH_OUTBOUND_ALLOW; // as in production: the receiver's loopback address is private
    try {
      const id = await saveWebhook(admin, null, {
        name: 'internal',
        url: receiver.url('/internal'),
        format: 'generic',
        minConfidence: 'high',
      });
      const before = receiver.requests.length;
      const result = await sendTestWebhook(admin, id);
      expect(result).toEqual({ outcome: 'failed', responseCode: null, error: 'refused: private address' });
      expect(receiver.requests.length).toBe(before);
      const { rows } = await getPool().query(`SELECT attempts FROM webhook_delivery d WHERE d.webhook_id = $1`, [id]);
      expect(rows).toEqual([{ attempts: 1 }]);
      await deleteWebhook(admin, id);
    } finally {
      process.env.TORWATCH_OUTBOUND_ALLOW = allowed;
    }
  });

  it('is edited in place: an empty secret keeps it, "remove" drops it, the enabled state stays as given', async () => {
    const id = await saveWebhook(admin, null, {
      name: 'editable',
      url: receiver.url('/e'),
      format: 'slack',
      minConfidence: 'high',
      secret: 'first',
    });
    const view = async () => (await listWebhooks(admin)).find((h) => h.id === id)!;
    await saveWebhook(admin, id, {
      name: 'edited',
      url: receiver.url('/e2'),
      format: 'generic',
      minConfidence: 'low',
      enabled: false,
    });
    expect(await view()).toMatchObject({
      name: 'edited',
      url: receiver.url('/e2'),
      format: 'generic',
      minConfidence: 'low',
      enabled: false,
      hasSecret: true,
    });
    await saveWebhook(admin, id, {
      name: 'edited',
      url: receiver.url('/e2'),
      format: 'generic',
      minConfidence: 'low',
      enabled: false,
      clearSecret: true,
    });
    expect((await view()).hasSecret).toBe(false);
    await expect(
      saveWebhook(admin, 999_999, { name: 'x', url: receiver.url('/x'), format: 'slack', minConfidence: 'high' }),
    ).rejects.toThrow(/does not exist/);
    const audit = await getPool().query(`SELECT action, details FROM audit_log WHERE target = $1 ORDER BY id`, [
      `webhook:${id}`,
    ]);
    expect(audit.rows.map((r) => r.action)).toEqual(['webhook.create', 'webhook.update', 'webhook.update']);
    expect(JSON.stringify(audit.rows)).not.toContain('first');
    await deleteWebhook(admin, id);
  });
});
