import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { APIError, createAuthMiddleware, getSessionFromCtx, isAPIError } from 'better-auth/api';
import { nextCookies } from 'better-auth/next-js';
import { admin } from 'better-auth/plugins/admin';
import { createAccessControl } from 'better-auth/plugins/access';
import { defaultStatements, adminAc } from 'better-auth/plugins/admin/access';
import { getPrisma } from '@/lib/db/client';
import { audit } from './audit';
import { auditAddress, clientAddress } from './clientAddress';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from './passwordRules';
import { authSecret } from './secret';
import { env } from '@/lib/env';
import { capSessionExpiry, CLIENT_ADDRESS_HEADER, SESSION_SLIDING_SECONDS } from './sessionPolicy';
import { claimSignIn, pruneSignInThrottle, signInFailed, signInSucceeded } from './signInThrottle';

// Better Auth (docs/architecture.md §11): e-mail + password, sessions in Postgres, admin plugin roles. Sign-up is
// closed: accounts come from the setup page, `torwatch user add` or an admin. Built lazily because DATABASE_URL is
// set by the launcher after this module loads.
const ac = createAccessControl(defaultStatements);
const roles = {
  admin: adminAc,
  analyst: ac.newRole({ user: [], session: [] }),
  viewer: ac.newRole({ user: [], session: [] }),
};

export function publicUrl(): URL | null {
  const value = env('TORWATCH_PUBLIC_URL');
  return value ? new URL(value) : null;
}

// lib/auth/authRoute.ts sets x-forwarded-proto to what it trusts (https only from a trusted proxy) before this runs.
function requestOrigin(request: Request): string {
  const host = request.headers.get('host') ?? new URL(request.url).host;
  const proto =
    request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || new URL(request.url).protocol.replace(':', '');
  return `${proto === 'https' ? 'https' : 'http'}://${host}`;
}

const requestIp = (headers: Headers | undefined) => auditAddress(headers);

function buildAuth() {
  const url = publicUrl();
  return betterAuth({
    appName: 'TorWatch',
    secret: authSecret(),
    baseURL: url ? url.origin : undefined,
    // Behind TORWATCH_PUBLIC_URL only that origin; else the origin the browser used to reach this server (its Host).
    trustedOrigins: url ? [url.origin] : async (request) => (request ? [requestOrigin(request)] : []),
    database: prismaAdapter(getPrisma(), { provider: 'postgresql' }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
    },
    // Sliding 12 h; the absolute lifetime (TORWATCH_SESSION_MAX_DAYS) caps every refresh and is checked on use.
    session: { expiresIn: SESSION_SLIDING_SECONDS, updateAge: 60 * 60 },
    databaseHooks: {
      session: {
        update: { before: async (data, context) => ({ data: capSessionExpiry(data, context?.context?.session) }) },
      },
    },
    // Better Auth's own limit (all its endpoints, per client address); sign-in has TorWatch's (signInThrottle.ts).
    rateLimit: {
      enabled: true,
      storage: 'database',
      modelName: 'rateLimit',
      window: 60,
      max: 200,
      customRules: { '/sign-in/email': false },
    },
    advanced: {
      // Set by lib/auth/authRoute.ts from the socket (and trusted proxies only), never from what the client sent.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
      disableOriginCheck: false,
      useSecureCookies: url?.protocol === 'https:',
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
    },
    hooks: { before: createAuthMiddleware(beforeSignIn), after: createAuthMiddleware(afterAuthCall) },
    plugins: [admin({ ac, roles, defaultRole: 'viewer', adminRoles: ['admin'] }), nextCookies()],
  });
}

type HookContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

const lastRefusalAudit = new Map<string, number>();

/** One audit row per address and reason a minute: a flood of refused attempts must not flood the log. */
function shouldAuditRefusal(key: string, now = Date.now()): boolean {
  const last = lastRefusalAudit.get(key);
  if (last && now - last < 60_000) return false;
  if (lastRefusalAudit.size > 10_000) lastRefusalAudit.clear();
  lastRefusalAudit.set(key, now);
  return true;
}

function tooManyRequests(retryAfterSeconds: number): APIError {
  return new APIError(
    'TOO_MANY_REQUESTS',
    {
      message: `Too many sign-in attempts; try again in ${retryAfterSeconds} s.`,
      code: 'TOO_MANY_ATTEMPTS',
    },
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

/** Claims an attempt for this address and e-mail before any password is checked; refuses with 429. */
async function claimOrRefuse(ctx: HookContext, email: string, action: string): Promise<void> {
  const address = clientAddress(ctx.headers ?? new Headers());
  if (Math.random() < 0.01) await pruneSignInThrottle().catch(() => {});
  const claim = await claimSignIn(address, email);
  if (claim.ok) return;
  if (shouldAuditRefusal(`${claim.reason}:${address}:${claim.reason === 'account' ? email : ''}`))
    await audit(
      null,
      action,
      email.toLowerCase(),
      { reason: claim.reason === 'address' ? 'too many attempts from this address' : 'account backoff' },
      requestIp(ctx.headers),
    );
  throw tooManyRequests(claim.retryAfterSeconds);
}

async function beforeSignIn(ctx: HookContext): Promise<void> {
  if (ctx.path === '/sign-out') {
    const session = await getSessionFromCtx(ctx).catch(() => null);
    if (session)
      await audit(
        { kind: 'user', id: session.user.id, label: session.user.email, role: null },
        'logout',
        session.user.email,
        undefined,
        requestIp(ctx.headers),
      );
    return;
  }
  if (ctx.path === '/sign-in/email') {
    const email = typeof ctx.body?.email === 'string' ? ctx.body.email : '';
    await claimOrRefuse(ctx, email, 'login.throttled');
    return;
  }
  if (ctx.path === '/change-password') {
    // Better Auth's endpoint, held to TorWatch's rules: the password policy, the same throttle on the current
    // password as on sign-in, and an audit row either way (afterAuthCall).
    const session = await getSessionFromCtx(ctx).catch(() => null);
    if (!session) return; // Better Auth answers 401
    const newPassword = typeof ctx.body?.newPassword === 'string' ? ctx.body.newPassword : '';
    const problem = passwordProblem(newPassword, session.user.email);
    if (problem) {
      await audit(
        { kind: 'user', id: session.user.id, label: session.user.email, role: null },
        'user.password.self.failure',
        session.user.email,
        { reason: problem },
        requestIp(ctx.headers),
      );
      throw new APIError('BAD_REQUEST', {
        message: problem.charAt(0).toUpperCase() + problem.slice(1) + '.',
        code: 'PASSWORD_POLICY',
      });
    }
    await claimOrRefuse(ctx, session.user.email, 'user.password.self.throttled');
  }
}

async function afterAuthCall(ctx: HookContext): Promise<void> {
  const ip = requestIp(ctx.headers);
  if (ctx.path === '/sign-in/email') {
    const email = typeof ctx.body?.email === 'string' ? ctx.body.email.toLowerCase() : '';
    const returned = ctx.context.returned;
    if (isAPIError(returned)) {
      // The attempt was already counted as a failure when it was claimed; the backoff runs from this answer.
      if (returned.statusCode === 401) await signInFailed(email);
      await audit(null, 'login.failure', email, { reason: returned.message }, ip);
      return;
    }
    const user = ctx.context.newSession?.user;
    if (user) {
      await signInSucceeded(email);
      await audit(
        { kind: 'user', id: user.id, label: user.email, role: null },
        'login.success',
        user.email,
        undefined,
        ip,
      );
    }
    return;
  }
  if (ctx.path === '/change-password') {
    const session = await getSessionFromCtx(ctx).catch(() => null);
    const returned = ctx.context.returned;
    const user = session?.user ?? null;
    if (!user) return;
    const actor = { kind: 'user' as const, id: user.id, label: user.email, role: null };
    if (isAPIError(returned)) {
      await audit(actor, 'user.password.self.failure', user.email, { reason: returned.message }, ip);
      return;
    }
    await signInSucceeded(user.email);
    await audit(actor, 'user.password.self', user.email, undefined, ip);
  }
}

type Auth = ReturnType<typeof buildAuth>;
const globalForAuth = globalThis as unknown as { torwatchAuth?: Auth };

export function getAuth(): Auth {
  globalForAuth.torwatchAuth ??= buildAuth();
  return globalForAuth.torwatchAuth;
}
