import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { APIError, createAuthMiddleware, getSessionFromCtx, isAPIError } from 'better-auth/api';
import { nextCookies } from 'better-auth/next-js';
import { admin } from 'better-auth/plugins/admin';
import { createAccessControl } from 'better-auth/plugins/access';
import { defaultStatements, adminAc } from 'better-auth/plugins/admin/access';
import { getPrisma } from '@/lib/db/client';
import { audit } from './audit';
import { lockedUntil, recordLoginFailure, recordLoginSuccess } from './lockout';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwordRules';
import { authSecret } from './secret';
import { env } from '@/lib/env';

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

function requestOrigin(request: Request): string {
  const host = request.headers.get('host') ?? new URL(request.url).host;
  const proto =
    request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || new URL(request.url).protocol.replace(':', '');
  return `${proto === 'https' ? 'https' : 'http'}://${host}`;
}

function requestIp(headers: Headers | undefined): string | null {
  return headers?.get('x-forwarded-for')?.split(',')[0]?.trim() || headers?.get('x-real-ip') || null;
}

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
    session: { expiresIn: 60 * 60 * 12, updateAge: 60 * 60 },
    rateLimit: {
      enabled: true,
      storage: 'database',
      modelName: 'rateLimit',
      window: 60,
      max: 200,
      customRules: { '/sign-in/email': { window: 60, max: 30 } },
    },
    advanced: {
      disableOriginCheck: false,
      useSecureCookies: url?.protocol === 'https:',
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
    },
    hooks: { before: createAuthMiddleware(beforeSignIn), after: createAuthMiddleware(afterAuthCall) },
    plugins: [admin({ ac, roles, defaultRole: 'viewer', adminRoles: ['admin'] }), nextCookies()],
  });
}

type HookContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

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
  if (ctx.path !== '/sign-in/email') return;
  const email = typeof ctx.body?.email === 'string' ? ctx.body.email : '';
  const until = email ? await lockedUntil(email) : null;
  if (until) {
    await audit(
      null,
      'login.locked',
      email.toLowerCase(),
      { lockedUntil: until.toISOString() },
      requestIp(ctx.headers),
    );
    throw new APIError('FORBIDDEN', {
      message: `This account is locked after too many failed sign-ins; try again after ${until.toISOString()}.`,
      code: 'ACCOUNT_LOCKED',
    });
  }
}

async function afterAuthCall(ctx: HookContext): Promise<void> {
  const ip = requestIp(ctx.headers);
  if (ctx.path === '/sign-in/email') {
    const email = typeof ctx.body?.email === 'string' ? ctx.body.email.toLowerCase() : '';
    const returned = ctx.context.returned;
    if (isAPIError(returned)) {
      const lockedNow = await recordLoginFailure(email);
      await audit(
        null,
        'login.failure',
        email,
        { reason: returned.message, ...(lockedNow ? { lockedUntil: lockedNow.toISOString() } : {}) },
        ip,
      );
      return;
    }
    const user = ctx.context.newSession?.user;
    if (user) {
      await recordLoginSuccess(user.id);
      await audit(
        { kind: 'user', id: user.id, label: user.email, role: null },
        'login.success',
        user.email,
        undefined,
        ip,
      );
    }
  }
}

type Auth = ReturnType<typeof buildAuth>;
const globalForAuth = globalThis as unknown as { torwatchAuth?: Auth };

export function getAuth(): Auth {
  globalForAuth.torwatchAuth ??= buildAuth();
  return globalForAuth.torwatchAuth;
}
