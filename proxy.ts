import { NextResponse, type NextRequest } from 'next/server';
import { getSessionCookie } from 'better-auth/cookies';

// Page requests only (API routes authenticate in apiRoute; upload/ingest bodies must never pass through here, since
// Next 16's proxy truncates bodies over 10 MB). An optimistic check: no session cookie → /login. The real check is
// requirePageRole in each page. Also tells pages their path (for ?next=) and adds HSTS behind https.
const PUBLIC_PAGES = ['/login', '/setup'];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const isPublic = PUBLIC_PAGES.some((page) => pathname === page || pathname.startsWith(`${page}/`));
  if (!isPublic && !getSessionCookie(request)) {
    const login = new URL('/login', request.url);
    if (pathname !== '/') login.searchParams.set('next', pathname + search);
    return withSecurityHeaders(NextResponse.redirect(login));
  }
  const headers = new Headers(request.headers);
  headers.set('x-torwatch-path', pathname + search);
  return withSecurityHeaders(NextResponse.next({ request: { headers } }));
}

function withSecurityHeaders(response: NextResponse): NextResponse {
  if (process.env.TORWATCH_PUBLIC_URL?.startsWith('https://')) response.headers.set('Strict-Transport-Security', 'max-age=31536000');
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
