import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { parseHitFilter } from '@/lib/hits/filters';
import { hitFilterSql } from '@/lib/hits/hitFilterSql';
import { QueryForbiddenError } from '@/lib/auth/authorise';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { addHitNote } from './addHitNote';
import { getHitTriage } from './getHitTriage';
import { triageHits, TriageError } from './triageHits';
import { addRelaysAndUsers, analyst, hitsByDevice, ingestAndMatch, viewer } from './__fixtures__/triageFixture';

useTestDatabase();

const NOW = new Date('2026-11-29T00:00:00Z');
const filterOf = (query: string) => parseHitFilter(new URLSearchParams(query), NOW);

async function auditRows(action: string) {
  const { rows } = await getPool().query(`SELECT actor, target, details FROM audit_log WHERE action = $1 ORDER BY id`, [
    action,
  ]);
  return rows;
}

describe('triage: status, assignee, notes, bulk by filter', () => {
  beforeAll(async () => {
    await resetDatabase();
    await addRelaysAndUsers();
    await ingestAndMatch([
      ...Array.from({ length: 5 }, (_, i) => ({
        ts: `2026-11-10T0${i}:00:00Z`,
        deviceId: 'laptop-1',
        remoteIp: '198.51.100.7',
        remotePort: 9001,
      })),
      ...Array.from({ length: 3 }, (_, i) => ({
        ts: `2026-11-11T0${i}:00:00Z`,
        deviceId: 'server-9',
        remoteIp: '203.0.113.9',
        remotePort: 443,
      })),
    ]);
  });

  it('sets a status on one hit, stamps triaged_at, audits it, and clears the stamp when set back to new', async () => {
    const [first] = await hitsByDevice('laptop-1');
    expect(first.status).toBe('new');
    expect(await triageHits(analyst, { hitIds: [first.id] }, { status: 'investigating' })).toEqual({ updated: 1 });
    let [after] = await hitsByDevice('laptop-1');
    expect(after.status).toBe('investigating');
    expect(after.triagedAt).toBeInstanceOf(Date);
    const audits = await auditRows('hit.triage');
    expect(audits.at(-1)).toMatchObject({
      actor: analyst.label,
      target: `hit:${first.id}`,
      details: { status: 'investigating', updated: 1, hitIds: [first.id] },
    });
    // The same status again changes nothing (and says so).
    expect(await triageHits(analyst, { hitIds: [first.id] }, { status: 'investigating' })).toEqual({ updated: 0 });
    await triageHits(analyst, { hitIds: [first.id] }, { status: 'new' });
    [after] = await hitsByDevice('laptop-1');
    expect(after).toMatchObject({ status: 'new', triagedAt: null });
  });

  it('refuses viewers, bad ids, unknown statuses and assignees who may not triage', async () => {
    const [first] = await hitsByDevice('laptop-1');
    await expect(triageHits(viewer, { hitIds: [first.id] }, { status: 'benign' })).rejects.toBeInstanceOf(
      QueryForbiddenError,
    );
    await expect(triageHits(analyst, { hitIds: ['1; DROP TABLE hit'] }, { status: 'benign' })).rejects.toThrow(
      /is not a number/,
    );
    await expect(triageHits(analyst, { hitIds: [first.id] }, { status: 'closed' as never })).rejects.toThrow(
      /^status: one of/,
    );
    await expect(triageHits(analyst, { hitIds: [first.id] }, { assigneeId: 'u-viewer' })).rejects.toThrow(TriageError);
    await expect(triageHits(analyst, { hitIds: [first.id] }, {})).rejects.toThrow(/nothing to change/);
    expect((await hitsByDevice('laptop-1'))[0].status).toBe('new');
  });

  it('assigns and unassigns', async () => {
    const [, second] = await hitsByDevice('laptop-1');
    await triageHits(analyst, { hitIds: [second.id] }, { assigneeId: 'u-admin' });
    expect((await getHitTriage(viewer, second.id))?.assignee).toBe('u-admin@example.test');
    await triageHits(analyst, { hitIds: [second.id] }, { assigneeId: null });
    expect((await getHitTriage(viewer, second.id))?.assigneeId).toBeNull();
  });

  it('applies a bulk action to every hit the filter matches, server-side, and audits the filter and count', async () => {
    const filter = filterOf('from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z&device=server-9');
    expect(await triageHits(analyst, { filter }, { status: 'true_positive', assigneeId: 'u-analyst' })).toEqual({
      updated: 3,
    });
    expect((await hitsByDevice('server-9')).map((h) => h.status)).toEqual([
      'true_positive',
      'true_positive',
      'true_positive',
    ]);
    expect((await hitsByDevice('laptop-1')).every((h) => h.status === 'new')).toBe(true);
    const audit = (await auditRows('hits.triage-bulk')).at(-1);
    expect(audit.target).toContain('device=server-9');
    expect(audit.details).toMatchObject({ status: 'true_positive', updated: 3 });
    expect(audit.details.hitIds).toHaveLength(3);
  });

  it('applies a bulk action to selected hits only', async () => {
    const ids = (await hitsByDevice('laptop-1')).slice(0, 2).map((h) => h.id);
    expect(await triageHits(analyst, { hitIds: ids }, { status: 'benign' })).toEqual({ updated: 2 });
    expect((await hitsByDevice('laptop-1')).map((h) => h.status)).toEqual(['benign', 'benign', 'new', 'new', 'new']);
  });

  it('keeps notes with author and time, oldest first, and refuses empty notes and unknown hits', async () => {
    const [hit] = await hitsByDevice('laptop-1');
    await addHitNote(analyst, hit.id, '  Checked with the owner: Tor Browser for research. ');
    await addHitNote(analyst, hit.id, 'Second note');
    const triage = await getHitTriage(viewer, hit.id);
    expect(triage?.notes.map((n) => [n.author, n.body])).toEqual([
      [analyst.label, 'Checked with the owner: Tor Browser for research.'],
      [analyst.label, 'Second note'],
    ]);
    expect(triage?.notes[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await expect(addHitNote(analyst, hit.id, '   ')).rejects.toThrow(/write something/);
    await expect(addHitNote(analyst, '999999', 'x')).rejects.toThrow(/does not exist/);
    await expect(addHitNote(viewer, hit.id, 'x')).rejects.toBeInstanceOf(QueryForbiddenError);
    expect(await auditRows('hit.note')).toHaveLength(2);
  });

  it('hides suppressed hits from the default filter but finds them with status=suppressed', async () => {
    const [hit] = await hitsByDevice('laptop-1');
    await triageHits(analyst, { hitIds: [hit.id] }, { status: 'suppressed' });
    const ids = async (query: string) => {
      const sql = hitFilterSql(filterOf(query));
      return (await getPool().query(`SELECT id::text FROM hit WHERE ${sql.text}`, sql.values as unknown[])).rows.map(
        (r) => r.id,
      );
    };
    const range = 'from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z';
    expect(await ids(range)).not.toContain(hit.id);
    expect(await ids(`${range}&status=suppressed`)).toEqual([hit.id]);
  });
});
