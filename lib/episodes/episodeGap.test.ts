import { afterEach, describe, expect, it } from 'vitest';
import { episodeGapHours } from './episodeGap';
import { parseEpisodePage } from './episodeSort';

describe('TORWATCH_EPISODE_GAP_HOURS', () => {
  afterEach(() => {
    delete process.env.TORWATCH_EPISODE_GAP_HOURS;
  });

  it('defaults to 24 h and takes a positive number of hours', () => {
    expect(episodeGapHours()).toBe(24);
    process.env.TORWATCH_EPISODE_GAP_HOURS = '6.5';
    expect(episodeGapHours()).toBe(6.5);
  });

  it('refuses zero, negatives and text, naming the variable', () => {
    for (const bad of ['0', '-1', 'a day', '9000']) {
      process.env.TORWATCH_EPISODE_GAP_HOURS = bad;
      expect(() => episodeGapHours()).toThrow(/TORWATCH_EPISODE_GAP_HOURS/);
    }
  });
});

describe('episode table URL state', () => {
  it('defaults to the most recently seen first and refuses unknown sorts by name', () => {
    expect(parseEpisodePage({})).toMatchObject({ sort: 'lastSeen', dir: 'desc', limit: 50 });
    expect(parseEpisodePage(new URLSearchParams('sort=hits&dir=asc&size=25'))).toMatchObject({
      sort: 'hits',
      dir: 'asc',
      limit: 25,
    });
    expect(() => parseEpisodePage({ sort: 'remoteIp' })).toThrow(/^sort: one of lastSeen/);
    expect(() => parseEpisodePage({ after: 'garbage' })).toThrow(/^after:/);
  });
});
