import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

// Azurite (the Azure Storage emulator from npm) for tests and the benchmark: the blob service only, on 127.0.0.1 and a
// port the system picks, data in a temporary folder removed on stop.

export const AZURITE_ACCOUNT = 'devstoreaccount1';
/** Azurite's well-known development key (public, documented). */
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** The emulator's process (the benchmark reads its CPU time). */
  pid: number | undefined;
  endpoint: string;
  connectionString: string;
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<Azurite> {
  const location = await mkdtemp(path.join(os.tmpdir(), 'torwatch-azurite-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      'node_modules/azurite/dist/src/blob/main.js',
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--location',
      location,
      '--silent',
      '--skipApiVersionCheck',
      '--loose',
      '--disableTelemetry',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /listens on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match) resolve(`${match[1]}/${AZURITE_ACCOUNT}`);
    });
    child.on('exit', (code) => reject(new Error(`azurite exited with ${code} before listening`)));
  });
  return {
    pid: child.pid,
    endpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${endpoint};`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(location, { recursive: true, force: true });
    },
  };
}
