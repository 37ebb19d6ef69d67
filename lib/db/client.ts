import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/generated/prisma/client';
import { closeDb, databaseUrl, getPool, onCloseDb } from './pool';

// One Prisma client (CRUD) per process, from DATABASE_URL (read when first used); the pg pool for raw SQL and COPY
// lives in ./pool, re-exported here for the modules that use both.
export { closeDb, getPool };

const globalForDb = globalThis as unknown as { torwatchPrisma?: PrismaClient };

export function getPrisma(): PrismaClient {
  if (!globalForDb.torwatchPrisma) {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl(), max: 5 }) });
    globalForDb.torwatchPrisma = prisma;
    onCloseDb(async () => {
      if (globalForDb.torwatchPrisma === prisma) globalForDb.torwatchPrisma = undefined;
      await prisma.$disconnect();
    });
  }
  return globalForDb.torwatchPrisma;
}
