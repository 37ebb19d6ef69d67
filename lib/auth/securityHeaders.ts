// Security headers. Pages get their Content-Security-Policy from proxy.ts, with a fresh nonce per request: only
// scripts carrying it run — Next's own (it reads the nonce from the request's CSP header) and the root layout's
// theme script — and what they load ('strict-dynamic'); no inline script an attacker injects. No 'unsafe-eval' in
// production (React needs it only in development). Styles keep 'unsafe-inline': charts set style attributes,
// which a nonce cannot cover. frame-ancestors 'none' + X-Frame-Options stop framing (clickjacking).

/** The policy of a page rendered with `nonce`. */
export function contentSecurityPolicy(development: boolean, nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${development ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** For everything that is not a page (API answers, files): nothing in it may run or be framed. */
export const NON_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** A nonce: 128 random bits, base64. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/** Headers for every response (next.config.ts); the CSP of pages comes from proxy.ts. */
export function securityHeaders(): Array<{ key: string; value: string }> {
  return [
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  ];
}
