import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import { HttpError } from './httpError';

/** JSON with no-store; BigInt as a number when safe, else as a string. */
export function jsonResponse(value: unknown, status: number, headers?: HeadersInit): Response {
  const text = JSON.stringify(value, (_key, v) =>
    typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v,
  );
  const responseHeaders = new Headers(headers);
  responseHeaders.set('content-type', 'application/json; charset=utf-8');
  responseHeaders.set('cache-control', 'no-store');
  return new Response(text, { status, headers: responseHeaders });
}

/** HttpError and ZodError answered as they say; anything else a 500 with a request id (the detail only in the log). */
export function errorResponse(error: unknown, request: Request): Response {
  if (error instanceof HttpError) {
    const headers: HeadersInit = error.status === 401 ? { 'www-authenticate': 'Bearer realm="torwatch"' } : {};
    return jsonResponse(
      { error: error.message, ...(error.details !== undefined ? { details: error.details } : {}) },
      error.status,
      headers,
    );
  }
  if (error instanceof ZodError) {
    const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    return jsonResponse(
      { error: `invalid request: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, issues },
      400,
    );
  }
  // Unexpected: log everything here, answer with nothing an attacker could use (no stack, no SQL).
  const requestId = randomUUID();
  console.error(`api error ${requestId} ${request.method} ${new URL(request.url).pathname}:`, error);
  return jsonResponse({ error: 'internal error', requestId }, 500);
}
