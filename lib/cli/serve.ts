import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { trustedProxies } from '@/lib/auth/clientAddress';
import { sessionMaxDays } from '@/lib/auth/sessionPolicy';
import { throttleSettings } from '@/lib/auth/signInThrottle';
import { leaseDatabase } from '@/lib/db/database';
import { startWorker } from '@/lib/jobs/worker';
import { JOB_HANDLERS } from '@/lib/pipeline/jobHandlers';
import { buildIsCurrent, sourceHash, stampFile } from './buildStamp';
import { UsageError } from './errors';
import { env } from '@/lib/env';

export const usage = 'torwatch serve [--port N] [--host H] [--no-worker]';

const log = (line: string) => console.log(`torwatch: ${line}`);

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { port: { type: 'string' }, host: { type: 'string' }, 'no-worker': { type: 'boolean' } },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const port = values.port ?? env('PORT');
  const host = values.host ?? env('HOST');
  if (!/^\d+$/.test(port)) throw new UsageError(`--port must be a number, got "${port}"`);
  checkSecuritySettings();

  const lease = await leaseDatabase('serve', log);
  let worker: Awaited<ReturnType<typeof startWorker>> | null = null;
  let child: ReturnType<typeof spawn> | null = null;
  let stopping: Promise<void> | null = null;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      log(`stopping (${reason})`);
      if (child && child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child!.once('exit', resolve));
      }
      await worker?.stop().catch(() => {});
      const { closeDb } = await import('@/lib/db/client');
      await closeDb().catch(() => {});
      await lease.release();
      log('stopped');
    })();
    return stopping;
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    const onStartup = await import('@/lib/cli/startupHooks');
    await onStartup.runStartupHooks(log);
    if (!values['no-worker'] && env('TORWATCH_WORKER') !== 'off')
      worker = await startWorker(lease.url, JOB_HANDLERS, log);
    ensureBuild();
  } catch (error) {
    await shutdown('startup failed');
    throw error;
  }
  if (stopping) return 0;

  // bin/web-server.mjs, not `next start`: it stamps each request with its socket address (lib/auth/clientAddress.ts).
  const webServer = path.resolve('bin/web-server.mjs');
  child = spawn(process.execPath, [webServer, '--port', port, '--host', host], {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: lease.url, NODE_ENV: 'production' },
  });
  log(`serving on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`);
  const code = await new Promise<number>((resolve) => child!.once('exit', (c) => resolve(c ?? 0)));
  if (!stopping) {
    log(`web server exited with status ${code}`);
    await shutdown('web server exited');
    return code === 0 ? 0 : 1;
  }
  await stopping;
  return 0;
}

function ensureBuild(): void {
  if (buildIsCurrent()) return;
  log('building the web app (the source changed since the last build)…');
  const nextBin = path.resolve('node_modules/next/dist/bin/next');
  const result = spawnSync(process.execPath, [nextBin, 'build'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error('next build failed (see above)');
  writeFileSync(stampFile(), sourceHash());
}

/** Refuses to start with a malformed security setting, rather than failing on the first sign-in. */
function checkSecuritySettings(): void {
  try {
    trustedProxies();
    throttleSettings();
    sessionMaxDays();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
