import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { ensureDefaultFeeds } from './ensureDefaultFeeds';
import { setFeedUrl } from './feedUrl';
import { ensureFeed } from './relayFeeds';

useTestDatabase();

const admin: Actor = { kind: 'user', id: 'u-admin', label: 'admin@example.test', role: 'admin' };
const analyst: Actor = { kind: 'user', id: 'u-analyst', label: 'analyst@example.test', role: 'analyst' };

async function feed(name: string) {
  return (await getPool().query('SELECT url, etag, last_modified FROM relay_feed WHERE name = $1', [name])).rows[0];
}

beforeEach(async () => {
  await resetDatabase();
  await ensureDefaultFeeds(() => {});
  await getPool().query(`UPDATE relay_feed SET etag = '"abc"', last_modified = 'Sat, 28 Nov 2026 00:00:00 GMT'`);
});

describe('setFeedUrl', () => {
  it('points a feed at a mirror, forgets the old conditional-request state, and is audited; null restores the default', async () => {
    expect(await setFeedUrl(admin, 'onionoo', ' https://mirror.corp.example/onionoo/details ')).toBe(
      'https://mirror.corp.example/onionoo/details',
    );
    expect(await feed('onionoo')).toEqual({
      url: 'https://mirror.corp.example/onionoo/details',
      etag: null,
      last_modified: null,
    });
    expect((await feed('torrelayips')).etag).toBe('"abc"');
    const audit = await getPool().query(`SELECT action, target, details FROM audit_log ORDER BY id DESC LIMIT 1`);
    expect(audit.rows[0]).toEqual({
      action: 'settings.feed',
      target: 'onionoo',
      details: { url: 'https://mirror.corp.example/onionoo/details' },
    });
    expect(await setFeedUrl(admin, 'onionoo', null)).toBe('https://onionoo.torproject.org/details');
  });

  it('refuses a bad URL, a manual-import feed, an unknown feed and a non-admin, changing nothing', async () => {
    await ensureFeed('import:onionoo', 'onionoo');
    await expect(setFeedUrl(admin, 'onionoo', 'file:///etc/passwd')).rejects.toThrow(/only http/);
    await expect(setFeedUrl(admin, 'import:onionoo', 'https://mirror.example/details')).rejects.toThrow(
      /not a scheduled feed/,
    );
    await expect(setFeedUrl(admin, 'nope', 'https://mirror.example/details')).rejects.toThrow(/not a scheduled feed/);
    await expect(setFeedUrl(analyst, 'onionoo', 'https://mirror.example/details')).rejects.toThrow(/admin/);
    expect((await feed('onionoo')).url).toBe('https://onionoo.torproject.org/details');
    expect((await feed('import:onionoo')).url).toBeNull();
  });
});
