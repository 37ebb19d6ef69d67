import { beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { getPool } from '@/lib/db/pool';
import { QueryForbiddenError } from '@/lib/auth/authorise';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { listSuppressionRules } from './listSuppressionRules';
import { createSuppressionRule, expireSuppressionRule } from './suppressionRules';
import { triageHits } from './triageHits';
import {
  addRelaysAndUsers,
  analyst,
  hitsByDevice,
  ingestAndMatch,
  RELAY_B,
  viewer,
} from './__fixtures__/triageFixture';

useTestDatabase();

const torBrowser = (deviceId: string, ts: string, extra: Record<string, unknown> = {}) => ({
  ts,
  deviceId,
  remoteIp: '198.51.100.7',
  remotePort: 9001,
  process: 'tor.exe',
  folder: 'C:\\Users\\x\\Tor Browser\\tor.exe',
  ...extra,
});

function fieldOf(error: unknown): string {
  return error instanceof ZodError ? String(error.issues[0].path[0]) : 'not a ZodError';
}

describe('suppression rules', () => {
  beforeAll(async () => {
    await resetDatabase();
    await addRelaysAndUsers();
    await ingestAndMatch([
      torBrowser('research-1', '2026-11-05T10:00:00Z'),
      torBrowser('research-1', '2026-11-05T11:00:00Z'),
      torBrowser('research-1', '2026-11-05T12:00:00Z'),
      torBrowser('laptop-7', '2026-11-05T10:00:00Z'),
      { ts: '2026-11-06T10:00:00Z', deviceId: 'web-1', remoteIp: '203.0.113.9', remotePort: 443, process: 'curl' },
    ]);
  });

  it('validates input and names the field', async () => {
    await expect(createSuppressionRule(analyst, { reason: 'no criteria' })).rejects.toSatisfy(
      (e) => fieldOf(e) === 'criteria',
    );
    await expect(createSuppressionRule(analyst, { processSha256: 'abc', reason: 'bad hash' })).rejects.toSatisfy(
      (e) => fieldOf(e) === 'processSha256',
    );
    await expect(createSuppressionRule(analyst, { relayIp: '198.51.100.300', reason: 'bad ip' })).rejects.toSatisfy(
      (e) => fieldOf(e) === 'relayIp',
    );
    await expect(
      createSuppressionRule(analyst, { deviceId: 'x', reason: 'past', expiresAt: '2000-01-01T00:00:00Z' }),
    ).rejects.toSatisfy((e) => fieldOf(e) === 'expiresAt');
    await expect(createSuppressionRule(analyst, { deviceId: 'x', reason: '' })).rejects.toSatisfy(
      (e) => fieldOf(e) === 'reason',
    );
    await expect(createSuppressionRule(viewer, { deviceId: 'x', reason: 'viewer' })).rejects.toBeInstanceOf(
      QueryForbiddenError,
    );
    expect((await getPool().query('SELECT count(*)::int AS n FROM suppression_rule')).rows[0].n).toBe(0);
  });

  it('applies backward to open hits only: a decided hit (true positive) keeps its status', async () => {
    const [decided] = await hitsByDevice('research-1');
    await triageHits(analyst, { hitIds: [decided.id] }, { status: 'true_positive' });
    const { id, suppressed } = await createSuppressionRule(analyst, {
      deviceId: 'research-1',
      processFileName: 'TOR.EXE',
      reason: 'Research lab: Tor Browser is sanctioned',
    });
    expect(suppressed).toBe(2);
    const hits = await hitsByDevice('research-1');
    expect(hits.map((h) => h.status)).toEqual(['true_positive', 'suppressed', 'suppressed']);
    expect(hits.slice(1).every((h) => h.ruleId === id)).toBe(true);
    expect((await hitsByDevice('laptop-7'))[0].status).toBe('new'); // another device: not covered
    const [rule] = await listSuppressionRules(analyst);
    expect(rule).toMatchObject({
      id,
      active: true,
      suppressedHits: 2,
      processFileName: 'TOR.EXE',
      createdBy: analyst.label,
    });
  });

  it('applies forward at match time: new hits a rule covers arrive suppressed; others arrive new', async () => {
    const runId = await ingestAndMatch([
      torBrowser('research-1', '2026-11-07T10:00:00Z'),
      torBrowser('laptop-7', '2026-11-07T10:00:00Z'),
    ]);
    const research = await hitsByDevice('research-1');
    expect(research.at(-1)).toMatchObject({ status: 'suppressed' });
    expect(research.at(-1)!.ruleId).not.toBeNull();
    expect((await hitsByDevice('laptop-7')).map((h) => h.status)).toEqual(['new', 'new']);
    const { rows } = await getPool().query('SELECT count(*)::int AS n FROM hit WHERE match_run_id = $1', [runId]);
    expect(rows[0].n).toBe(2);
    expect((await listSuppressionRules(analyst))[0].suppressedHits).toBe(3);
  });

  it('matches a relay network and a fingerprint', async () => {
    const byNetwork = await createSuppressionRule(analyst, {
      relayIp: '203.0.113.0/24',
      direction: 'outbound',
      reason: 'Known scanner network',
    });
    expect(byNetwork.suppressed).toBe(1);
    await triageHits(analyst, { hitIds: [(await hitsByDevice('web-1'))[0].id] }, { status: 'new' });
    await expireSuppressionRule(analyst, byNetwork.id);
    const byFingerprint = await createSuppressionRule(analyst, {
      relayFingerprint: RELAY_B.toLowerCase(),
      reason: 'Our own relay',
    });
    expect(byFingerprint.suppressed).toBe(1);
    const rules = await listSuppressionRules(analyst);
    expect(rules.find((r) => r.id === byNetwork.id)?.relayIp).toBe('203.0.113.0/24');
    expect(rules.find((r) => r.id === byFingerprint.id)?.relayFingerprint).toBe(RELAY_B);
  });

  it('an expired rule suppresses nothing new; restoring puts its hits back to new', async () => {
    const { id } = await createSuppressionRule(analyst, {
      deviceId: 'laptop-7',
      reason: 'Temporary: pen test this week',
      expiresAt: '2099-01-01T00:00:00Z',
    });
    expect((await hitsByDevice('laptop-7')).map((h) => h.status)).toEqual(['suppressed', 'suppressed']);
    await expireSuppressionRule(analyst, id);
    await ingestAndMatch([torBrowser('laptop-7', '2026-11-08T10:00:00Z')]);
    expect((await hitsByDevice('laptop-7')).map((h) => h.status)).toEqual(['suppressed', 'suppressed', 'new']);
    const rule = (await listSuppressionRules(analyst)).find((r) => r.id === id)!;
    expect(rule.active).toBe(false);
    expect(rule.suppressedHits).toBe(2);
    expect(await expireSuppressionRule(analyst, id, { restoreHits: true })).toEqual({ restored: 2 });
    expect((await hitsByDevice('laptop-7')).map((h) => h.status)).toEqual(['new', 'new', 'new']);
    await expect(expireSuppressionRule(analyst, '00000000-0000-0000-0000-000000000000')).rejects.toThrow(
      /does not exist/,
    );
    const { rows } = await getPool().query(
      `SELECT action FROM audit_log WHERE action LIKE 'suppression.%' ORDER BY id`,
    );
    expect(rows.map((r) => r.action)).toContain('suppression.expire');
  });
});
