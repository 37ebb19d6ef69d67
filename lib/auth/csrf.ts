// CSRF for cookie-authenticated mutations: the browser's Origin (or, without one, Referer) must be this site —
import { env } from '@/lib/env';
// TORWATCH_PUBLIC_URL when set, else the Host the request came to.
const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isMutation(method: string): boolean {
  return MUTATIONS.has(method.toUpperCase());
}

export function isSameOrigin(request: Request): boolean {
  const claimed = request.headers.get('origin') ?? referrerOrigin(request.headers.get('referer'));
  if (!claimed || claimed === 'null') return false;
  let origin: URL;
  try {
    origin = new URL(claimed);
  } catch {
    return false;
  }
  const publicUrl = env('TORWATCH_PUBLIC_URL');
  if (publicUrl) return origin.origin === new URL(publicUrl).origin;
  const host = request.headers.get('host') ?? new URL(request.url).host;
  return origin.host === host && (origin.protocol === 'http:' || origin.protocol === 'https:');
}

function referrerOrigin(referer: string | null): string | null {
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}
