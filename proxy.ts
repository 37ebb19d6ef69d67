import { NextResponse, type NextRequest } from 'next/server';
import { getSessionCookie } from 'better-auth/cookies';
import { contentSecurityPolicy, newNonce } from '@/lib/auth/securityHeaders';
import { env } from '@/lib/env';

// Page requests only (API routes authenticate in apiRoute; upload/ingest bodies must never pass through here, since
// Next 16's proxy truncates bodies over 10 MB). An optimistic check: no session cookie → /login. The real check is
// requirePageRole in each page. Also tells pages their path (for ?next=), sets the page's Content-Security-Policy
// with a fresh nonce (Next reads it from the request header and puts it on its scripts; the root layout reads
// x-nonce for its own) and adds HSTS behind https.
const PUBLIC_PAGES = ['/login', '/setup'];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const nonce = newNonce();
  const policy = contentSecurityPolicy(process.env.NODE_ENV === 'development', nonce);
  const isPublic = PUBLIC_PAGES.some((page) => pathname === page || pathname.startsWith(`${page}/`));
  if (!isPublic && !getSessionCookie(request)) {
    const login = new URL('/login', request.url);
    if (pathname !== '/') login.searchParams.set('next', pathname + search);
    return withSecurityHeaders(NextResponse.redirect(login), policy);
  }
  const headers = new Headers(request.headers);
  headers.set('x-torwatch-path', pathname + search);
  headers.set('x-nonce', nonce);
  headers.set('Content-Security-Policy', policy);
  return withSecurityHeaders(NextResponse.next({ request: { headers } }), policy);
}

function withSecurityHeaders(response: NextResponse, policy: string): NextResponse {
  response.headers.set('Content-Security-Policy', policy);
  if (env('TORWATCH_PUBLIC_URL')?.startsWith('https://'))
    response.headers.set('Strict-Transport-Security', 'max-age=31536000');
  return response;
}

export const config = {
  matcher: [
    {
      source: '/((?!api/|_next/static|_next/image|favicon.ico|robots.txt).*)',
      missing: [{ type: 'header', key: 'next-router-prefetch' }],
    },
  ],
};
