import { describe, expect, it } from 'vitest';
import { isSameOrigin } from './csrf';
import { passwordProblem } from './passwordRules';
import { hasRole, type Actor } from './roles';
import { safeNextPath } from './safeNext';
import { contentSecurityPolicy, newNonce, NON_PAGE_POLICY, securityHeaders } from './securityHeaders';

const user = (role: Actor['role']): Actor => ({ kind: 'user', id: 'u', label: 'u@x.org', role });

describe('hasRole', () => {
  it('orders viewer < analyst < admin and never grants a role to tokens or nobody', () => {
    expect(hasRole(user('analyst'), 'viewer')).toBe(true);
    expect(hasRole(user('analyst'), 'analyst')).toBe(true);
    expect(hasRole(user('analyst'), 'admin')).toBe(false);
    expect(hasRole(user(null), 'viewer')).toBe(false);
    expect(hasRole({ kind: 'token', id: 't', label: 'bot', role: 'admin', scope: 'read' }, 'viewer')).toBe(false);
    expect(hasRole(null, 'viewer')).toBe(false);
  });
});

describe('passwordProblem', () => {
  it('wants length and refuses obvious choices', () => {
    expect(passwordProblem('short1!')).toMatch(/at least 12/);
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toMatch(/different characters/);
    expect(passwordProblem('Password123!')).toMatch(/too common/);
    expect(passwordProblem('alice-is-here-2024', 'alice@example.org')).toMatch(/e-mail name/);
    expect(passwordProblem('x'.repeat(129))).toMatch(/at most 128/);
    expect(passwordProblem('correct horse battery staple', 'alice@example.org')).toBeNull();
  });

  it('refuses the 10,000 most common passwords (bundled list), dressed up or not', () => {
    // None of these was refused by the old ten-word list.
    for (const common of [
      'football2024!',
      'Sunshine12345',
      'P@ssw0rd2024!',
      'monkeymonkey',
      '!!baseball!!!',
      'qwertyuiop12',
    ])
      expect(passwordProblem(common), common).toMatch(/too common/);
    for (const fine of ['correct horse battery staple', 'Tor-e2e-long-passphrase-7', 'a long enough passphrase 42'])
      expect(passwordProblem(fine), fine).toBeNull();
  });
});

describe('safeNextPath', () => {
  it('keeps local paths and refuses open redirects', () => {
    expect(safeNextPath('/hits?status=new')).toBe('/hits?status=new');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', '/login', undefined, ''])
      expect(safeNextPath(bad)).toBe('/overview');
  });
});

describe('isSameOrigin', () => {
  const request = (headers: Record<string, string>) =>
    new Request('http://internal:3000/api/x', { method: 'POST', headers: { host: 'torwatch.lan:3000', ...headers } });
  it('accepts the Host the request came to, by Origin or Referer', () => {
    expect(isSameOrigin(request({ origin: 'http://torwatch.lan:3000' }))).toBe(true);
    expect(isSameOrigin(request({ referer: 'http://torwatch.lan:3000/hits?x=1' }))).toBe(true);
    expect(isSameOrigin(request({ origin: 'http://evil.example' }))).toBe(false);
    expect(isSameOrigin(request({ origin: 'null' }))).toBe(false);
    expect(isSameOrigin(request({}))).toBe(false);
  });
  it('uses TORWATCH_PUBLIC_URL behind a reverse proxy', () => {
    process.env.TORWATCH_PUBLIC_URL = 'https://torwatch.example.org';
    try {
      expect(isSameOrigin(request({ origin: 'https://torwatch.example.org' }))).toBe(true);
      expect(isSameOrigin(request({ origin: 'http://torwatch.lan:3000' }))).toBe(false);
    } finally {
      delete process.env.TORWATCH_PUBLIC_URL;
    }
  });
});

describe('security headers', () => {
  it("forbid framing and sniffing; scripts only with the page's nonce; eval only in development", () => {
    const production = contentSecurityPolicy(false, 'bm9uY2U=');
    expect(production).toContain("frame-ancestors 'none'");
    expect(production).toContain("script-src 'self' 'nonce-bm9uY2U=' 'strict-dynamic';");
    expect(production).not.toContain('unsafe-eval');
    expect(production.split('; ').find((d) => d.startsWith('script-src'))).not.toContain('unsafe-inline');
    expect(contentSecurityPolicy(true, 'bm9uY2U=')).toContain("'unsafe-eval'");
    const headers = Object.fromEntries(securityHeaders().map((h) => [h.key, h.value]));
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
    expect(NON_PAGE_POLICY).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('makes a new 128-bit nonce for every page', () => {
    const nonces = new Set(Array.from({ length: 100 }, () => newNonce()));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });
});
