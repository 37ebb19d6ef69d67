import { UsageError } from './errors';
import { withDatabase } from './withDatabase';

export const usage = 'torwatch secrets rotate [--new-key]';

// `torwatch secrets rotate`: re-seals every secret with the current key. With --new-key (the generated key file
// only) a new key file is written first and the old one kept as secret-key.<id>.old until no row needs it.
export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'rotate' || rest.some((a) => a !== '--new-key')) throw new UsageError('unknown subcommand or arguments');
  const { replaceKeyFile, currentSecretKey } = await import('@/lib/secrets/secretKey');
  return withDatabase(async () => {
    if (rest.includes('--new-key')) {
      const { previous, next } = replaceKeyFile();
      console.log(`new key ${next.id} written; key ${previous.id} kept until every secret is re-sealed`);
    }
    const { rotateSecrets } = await import('@/lib/secrets/rotateSecrets');
    const { resealed, removedKeyFiles } = await rotateSecrets();
    console.log(`re-sealed ${resealed} secret(s) with key ${currentSecretKey().id}`);
    for (const file of removedKeyFiles) console.log(`removed ${file}: no secret needs it any more`);
    return 0;
  });
}
