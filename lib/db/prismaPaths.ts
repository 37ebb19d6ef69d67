import path from 'node:path';
import { projectRoot } from '@/lib/projectRoot';

/** The Prisma schema and the migration folders of this checkout. */
export const SCHEMA_PATH = path.join(projectRoot(), 'prisma', 'schema.prisma');
export const MIGRATIONS_DIR = path.join(projectRoot(), 'prisma', 'migrations');
