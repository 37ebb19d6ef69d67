import 'server-only';
import { type ZodType, type z } from 'zod';
import { HttpError } from '@/lib/http/httpError';
import { errorResponse, jsonResponse } from '@/lib/http/jsonResponse';
import { readJson, searchParamsObject } from '@/lib/http/readBody';
import { verifyApiToken } from './apiTokens';
import { QueryForbiddenError } from './authorise';
import { auditFailedToken } from './tokenFailures';
import { isMutation, isSameOrigin } from './csrf';
import { hasRole, type Actor, type Role, type TokenScope } from './roles';
import { sessionActor } from './session';

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
      // The data layer's refusal (authoriseQuery and friends) is a 403, not an internal error.
      return errorResponse(error instanceof QueryForbiddenError ? new HttpError(403, error.message) : error, request);
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

function normaliseParams(params: Record<string, string | string[]> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(params ?? {})) result[key] = Array.isArray(value) ? value.join('/') : value;
  return result;
}
