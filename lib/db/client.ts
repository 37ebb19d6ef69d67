import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '@/generated/prisma/client';

// One Prisma client (CRUD) and one pg pool (raw SQL, COPY) per process, both from DATABASE_URL — read when first
// used, because the launcher sets it after booting the embedded PostgreSQL.
const globalForDb = globalThis as unknown as { torwatchPrisma?: PrismaClient; torwatchPool?: pg.Pool };

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (the torwatch launcher sets it for the embedded database)');
  return url;
}

export function getPrisma(): PrismaClient {
  globalForDb.torwatchPrisma ??= new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl(), max: 5 }) });
  return globalForDb.torwatchPrisma;
}

export function getPool(): pg.Pool {
  globalForDb.torwatchPool ??= new pg.Pool({ connectionString: databaseUrl(), max: 8 });
  return globalForDb.torwatchPool;
}

/** Closes both (CLI commands and tests call this before exiting). */
export async function closeDb(): Promise<void> {
  const { torwatchPrisma, torwatchPool } = globalForDb;
  globalForDb.torwatchPrisma = undefined;
  globalForDb.torwatchPool = undefined;
  await Promise.all([torwatchPrisma?.$disconnect(), torwatchPool?.end()]);
}
