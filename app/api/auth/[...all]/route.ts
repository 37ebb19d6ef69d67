import { getAuth } from '@/lib/auth/auth';

export const dynamic = 'force-dynamic';

// Better Auth's own endpoints (sign-in, sign-out, session, admin). Sign-up is disabled in lib/auth/auth.ts; Better
// Auth checks Origin on its mutations and rate-limits sign-in.
const handle = (request: Request) => getAuth().handler(request);
export { handle as GET, handle as POST };
