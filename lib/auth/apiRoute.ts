import 'server-only';
import { randomUUID } from 'node:crypto';
import { ZodError, type ZodType, type z } from 'zod';
import { QueryForbiddenError } from '@/lib/queries/queryActor';
import { verifyApiToken } from './apiTokens';
import { auditFailedToken } from './tokenFailures';
import { isMutation, isSameOrigin } from './csrf';
import { hasRole, type Actor, type Role, type TokenScope } from './roles';
import { sessionActor } from './session';

/** Thrown by a handler (or by apiRoute) to answer with this status and message, e.g. 413, 415, 404, 409. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface ApiRouteOptions<Q extends ZodType | undefined, B extends ZodType | undefined> {
  role?: Role; // the minimum role for a session (default viewer)
  scopes?: TokenScope[]; // token scopes accepted; omitted = session only
  query?: Q;
  body?: B; // a JSON body
  anonymous?: true; // no authentication at all (GET /api/health)
  maxBodyBytes?: number; // JSON bodies; default 1 MiB
}

export interface ApiContext<Q, B> {
  actor: Actor;
  query: Q;
  body: B;
  request: Request;
  params: Record<string, string>;
}

type Parsed<T> = T extends ZodType ? z.output<T> : undefined;
type RouteContext = { params?: Promise<Record<string, string | string[]>> | Record<string, string | string[]> };

const DEFAULT_MAX_BODY = 1024 * 1024;
export const ANONYMOUS: Actor = { kind: 'user', id: 'anonymous', label: 'anonymous', role: null };

/**
 * The one wrapper for route handlers: authenticate (session cookie or `Authorization: Bearer`) → authorise (role or
 * token scope; CSRF for cookie mutations) → validate (query, JSON body) → run → respond (plain objects become JSON).
 * Authentication comes before validation so an anonymous caller learns nothing about a route's parameters.
 */
export function apiRoute<Q extends ZodType | undefined = undefined, B extends ZodType | undefined = undefined>(
  options: ApiRouteOptions<Q, B>,
  handler: (ctx: ApiContext<Parsed<Q>, Parsed<B>>) => Promise<Response | unknown>,
): (request: Request, context?: RouteContext) => Promise<Response> {
  return async (request, context) => {
    try {
      const actor = await authorise(request, options);
      const url = new URL(request.url);
      const query = (
        options.query ? options.query.parse(searchParamsObject(url.searchParams)) : undefined
      ) as Parsed<Q>;
      const body = (
        options.body ? options.body.parse(await readJson(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY)) : undefined
      ) as Parsed<B>;
      const params = normaliseParams(await context?.params);
      const result = await handler({ actor, query, body, request, params });
      if (result instanceof Response) return result;
      if (result === undefined) return new Response(null, { status: 204 });
      return jsonResponse(result, 200);
    } catch (error) {
      return errorResponse(error, request);
    }
  };
}

async function authorise(
  request: Request,
  options: ApiRouteOptions<ZodType | undefined, ZodType | undefined>,
): Promise<Actor> {
  const authorization = request.headers.get('authorization');
  if (options.anonymous) return (await sessionActor(request.headers).catch(() => null)) ?? ANONYMOUS;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const actor = match ? await verifyApiToken(match[1]) : null;
    if (!actor) {
      await auditFailedToken(request, match?.[1] ?? null);
      throw new HttpError(401, 'invalid, expired or revoked API token');
    }
    if (!options.scopes?.includes(actor.scope!))
      throw new HttpError(403, `a token with scope "${actor.scope}" cannot use this endpoint`);
    return actor;
  }
  const actor = await sessionActor(request.headers);
  if (!actor) throw new HttpError(401, 'sign in or send Authorization: Bearer <token>');
  if (!hasRole(actor, options.role ?? 'viewer'))
    throw new HttpError(403, `this needs the ${options.role ?? 'viewer'} role`);
  if (isMutation(request.method) && !isSameOrigin(request))
    throw new HttpError(403, 'cross-site request refused (Origin is not this site)');
  return actor;
}

function searchParamsObject(params: URLSearchParams): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    result[key] = values.length === 1 ? values[0] : values;
  }
  return result;
}

function normaliseParams(params: Record<string, string | string[]> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(params ?? {})) result[key] = Array.isArray(value) ? value.join('/') : value;
  return result;
}

async function readJson(request: Request, limit: number): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'send the body as application/json');
  const text = (
    await readBodyCapped(request, limit, () => new HttpError(413, `the body is larger than ${limit} bytes`))
  ).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
}

/**
 * The whole request body, refused with `tooLarge()` as soon as the declared or the streamed size passes `limit` — a
 * body is never buffered past the limit.
 */
export async function readBodyCapped(request: Request, limit: number, tooLarge: () => Error): Promise<Buffer> {
  if (Number(request.headers.get('content-length') ?? 0) > limit) throw tooLarge();
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

function jsonResponse(value: unknown, status: number, headers?: HeadersInit): Response {
  const text = JSON.stringify(value, (_key, v) =>
    typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v,
  );
  const responseHeaders = new Headers(headers);
  responseHeaders.set('content-type', 'application/json; charset=utf-8');
  responseHeaders.set('cache-control', 'no-store');
  return new Response(text, { status, headers: responseHeaders });
}

function errorResponse(error: unknown, request: Request): Response {
  if (error instanceof HttpError) {
    const headers: HeadersInit = error.status === 401 ? { 'www-authenticate': 'Bearer realm="torwatch"' } : {};
    return jsonResponse(
      { error: error.message, ...(error.details !== undefined ? { details: error.details } : {}) },
      error.status,
      headers,
    );
  }
  if (error instanceof QueryForbiddenError) return jsonResponse({ error: error.message }, 403);
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
