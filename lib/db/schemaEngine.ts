import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import { SCHEMA_PATH } from './prismaPaths';

// Prisma's native schema engine cannot be downloaded on an offline machine; its published WebAssembly build runs
// migrations through the pg driver adapter instead (docs/architecture.md §2.4).
export type SchemaEngine = bg.SchemaEngine;

let wasmReady: Promise<void> | undefined;

function initWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm'));
    const bytes = await readFile(path.join(dir, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports,
    });
    const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start?: () => void };
    (bg as unknown as { __wbg_set_wasm(e: WebAssembly.Exports): void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start?.();
  })();
  return wasmReady;
}

export { MIGRATIONS_DIR, SCHEMA_PATH } from './prismaPaths';

/** A schema engine bound to the database at `connectionString`, loaded with the project's datamodel. */
export async function openSchemaEngine(
  connectionString: string,
  log: (line: string) => void = () => {},
): Promise<SchemaEngine> {
  await initWasm();
  const datamodel = await readFile(SCHEMA_PATH, 'utf8');
  // Discrete fields, not a connection string: the adapter's shadow database (used by diff) overrides only
  // `database`, which a connection string would win over.
  const url = new URL(connectionString);
  const config = {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
  };
  const factory = new PrismaPg(config);
  // The adapter's own shadow database is dropped while its pool still holds a connection, which fails; ours
  // drops it WITH (FORCE) after the pool is closed.
  Object.assign(factory, { connectToShadowDb: () => connectToShadowDb(config) });
  const adapter = bindMigrationAwareSqlAdapterFactory(factory as never);
  return bg.SchemaEngine.new({ datamodels: [['schema.prisma', datamodel]] }, log, adapter);
}

type PgConfig = { host: string; port: number; user: string; password: string; database: string };

async function adminQuery(config: PgConfig, sql: string): Promise<void> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function connectToShadowDb(config: PgConfig) {
  const database = `torwatch_shadow_${randomUUID().replaceAll('-', '')}`;
  await adminQuery(config, `CREATE DATABASE ${database}`);
  const adapter = await new PrismaPg({ ...config, database }).connect();
  const dispose = adapter.dispose.bind(adapter);
  return Object.assign(adapter, {
    dispose: async () => {
      await dispose();
      await adminQuery(config, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  });
}
