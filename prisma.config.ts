import { defineConfig } from 'prisma/config';

// DATABASE_URL is optional: `prisma generate` needs none, and TorWatch boots an embedded PostgreSQL without it.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
