import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { parseHitFilter } from '@/lib/hits/filters';
import { createSuppressionRule } from '@/lib/triage/suppressionRules';
import { triageHits } from '@/lib/triage/triageHits';
import {
  addRelaysAndUsers,
  analyst,
  hitsByDevice,
  ingestAndMatch,
  viewer,
} from '@/lib/triage/__fixtures__/triageFixture';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { getTriageSummary } from './getTriageSummary';

useTestDatabase();

describe('getTriageSummary (overview card)', () => {
  beforeAll(async () => {
    await resetDatabase();
    await addRelaysAndUsers();
    await ingestAndMatch(
      ['a', 'b', 'c', 'd', 'e'].map((d, i) => ({
        ts: `2026-11-10T0${i}:00:00Z`,
        deviceId: d,
        remoteIp: '198.51.100.7',
        remotePort: 9001,
      })),
    );
  });

  it("counts hits by status in the range and the mean time from first match to a person's first decision", async () => {
    const [a] = await hitsByDevice('a');
    const [b] = await hitsByDevice('b');
    await triageHits(analyst, { hitIds: [a.id] }, { status: 'investigating' });
    await triageHits(analyst, { hitIds: [b.id] }, { status: 'true_positive' });
    await createSuppressionRule(analyst, { deviceId: 'c', reason: 'lab machine' }); // a rule, not a person's decision
    // Pretend the hits were first matched 2 h and 4 h before they were triaged.
    await getPool().query(`UPDATE hit SET first_matched_at = triaged_at - interval '2 hours' WHERE id = $1`, [a.id]);
    await getPool().query(`UPDATE hit SET first_matched_at = triaged_at - interval '4 hours' WHERE id = $1`, [b.id]);
    const now = new Date(Date.now() + 60_000);
    const eventRange = parseHitFilter(new URLSearchParams('from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z'), now);
    const summary = await getTriageSummary(viewer, eventRange);
    expect(summary.byStatus).toEqual({ new: 2, investigating: 1, true_positive: 1, benign: 0, suppressed: 1 });
    expect(summary.open).toBe(3);
    // Decisions are counted by when they were taken: today, not in November 2026's event range unless that is now.
    const decisions = await getTriageSummary(viewer, parseHitFilter(new URLSearchParams('range=24h'), now));
    expect(decisions.triaged).toBe(2);
    expect(decisions.meanTimeToTriageSeconds).toBeCloseTo(3 * 3600, 0);
  });
});
