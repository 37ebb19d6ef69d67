import { describe, expect, it } from 'vitest';
import { feedUrlProblem, MAX_FEED_URL_LENGTH } from './feedUrl';

describe('feedUrlProblem', () => {
  it('accepts http and https URLs, mirrors on any port and path', () => {
    for (const url of [
      'https://onionoo.torproject.org/details',
      'http://mirror.corp.example:8080/tor/details?type=relay',
    ]) {
      expect(feedUrlProblem(url)).toBeNull();
    }
  });

  it.each([
    ['onionoo.torproject.org/details', /is not a URL/],
    ['ftp://mirror.example/TorRelayIPs.csv', /only http:\/\/ and https:\/\//],
    ['file:///etc/passwd', /only http:\/\/ and https:\/\//],
    ['https://user:secret@mirror.example/details', /credentials/],
    [`https://mirror.example/${'x'.repeat(MAX_FEED_URL_LENGTH)}`, /longer than 2048/],
  ])('refuses %s', (url, problem) => {
    expect(feedUrlProblem(url)).toMatch(problem);
  });
});
