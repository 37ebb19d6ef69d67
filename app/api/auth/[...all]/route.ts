import { handleAuthRequest } from '@/lib/auth/authRoute';

export const dynamic = 'force-dynamic';

// Better Auth's endpoints, only those TorWatch offers (sign-in, sign-out, session, own password change; see
// lib/auth/authRoute.ts). Sign-up and the admin plugin's endpoints answer 404; sign-in is throttled per client
// address and account (lib/auth/signInThrottle.ts); Better Auth checks Origin on its mutations.
const handle = (request: Request) => handleAuthRequest(request);
export { handle as GET, handle as POST };
