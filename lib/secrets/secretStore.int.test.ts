import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { listWebhooks } from '@/lib/alerts/listWebhooks';
import { deleteWebhook, saveWebhook } from '@/lib/alerts/webhooks';
import { addRelaysAndUsers, admin } from '@/lib/triage/__fixtures__/triageFixture';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { rotateSecrets } from './rotateSecrets';
import { currentSecretKey, replaceKeyFile } from './secretKey';
import { sealPendingSecrets } from './sealPendingSecrets';
import { deleteSecret, getSecret, hasSecret, putSecret } from './secretStore';

useTestDatabase();

const KEYS = ['TORWATCH_DATA_DIR', 'TORWATCH_SECRET_KEY', 'TORWATCH_SECRET_KEY_PREVIOUS'] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
let dir: string;

/** Every row of every table as text, to show that a value is nowhere in clear. */
async function wholeDatabaseText(): Promise<string> {
  const { rows } = await getPool().query<{ t: string }>(
    `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'`,
  );
  const parts: string[] = [];
  for (const { t } of rows) {
    const dump = await getPool().query(`SELECT row_to_json(x)::text AS j FROM "${t}" x`);
    parts.push(...dump.rows.map((r) => r.j as string));
  }
  return parts.join('\n');
}

describe('the secret store', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'torwatch-secret-int-'));
  });
  beforeEach(async () => {
    process.env.TORWATCH_DATA_DIR = dir;
    delete process.env.TORWATCH_SECRET_KEY;
    delete process.env.TORWATCH_SECRET_KEY_PREVIOUS;
    await resetDatabase();
    await addRelaysAndUsers();
  });
  afterAll(() => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts, gets, replaces and deletes a secret, never storing it in clear', async () => {
    expect(await getSecret('smtp:password')).toBeNull();
    expect(await hasSecret('smtp:password')).toBe(false);
    await putSecret('smtp:password', 'p4ss-word-in-clear');
    expect(await hasSecret('smtp:password')).toBe(true);
    expect(await getSecret('smtp:password')).toBe('p4ss-word-in-clear');
    await putSecret('smtp:password', 'second-value-in-clear');
    expect(await getSecret('smtp:password')).toBe('second-value-in-clear');
    const row = (await getPool().query(`SELECT key_id, length(iv) AS iv, length(auth_tag) AS tag FROM secret`)).rows;
    expect(row).toEqual([{ key_id: currentSecretKey().id, iv: 12, tag: 16 }]);
    expect(await wholeDatabaseText()).not.toMatch(/in-clear/);
    expect(await deleteSecret('smtp:password')).toBe(true);
    expect(await getSecret('smtp:password')).toBeNull();
    await expect(putSecret('no spaces', 'x')).rejects.toThrow(/not a secret name/);
  });

  it('writes inside the caller’s transaction when given its client', async () => {
    const client = await getPool().connect();
    try {
      await client.query('BEGIN');
      await putSecret('connector:7:clientSecret', 'abc', client);
      expect(await getSecret('connector:7:clientSecret', client)).toBe('abc');
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await hasSecret('connector:7:clientSecret')).toBe(false);
  });

  it('keeps webhook secrets encrypted, write-only, and out of the audit log; deleting the webhook deletes it', async () => {
    const id = await saveWebhook(admin, null, {
      name: 'sealed',
      url: 'https://hooks.example.test/x',
      format: 'generic',
      minConfidence: 'high',
      secret: 'webhook-secret-in-clear',
    });
    expect(await getSecret(`webhook:${id}`)).toBe('webhook-secret-in-clear');
    expect((await listWebhooks(admin)).map((h) => h.hasSecret)).toEqual([true]);
    expect(await wholeDatabaseText()).not.toMatch(/webhook-secret-in-clear/);
    await saveWebhook(admin, id, {
      name: 'sealed',
      url: 'https://hooks.example.test/x',
      format: 'generic',
      minConfidence: 'high',
    });
    expect(await getSecret(`webhook:${id}`)).toBe('webhook-secret-in-clear'); // empty keeps it
    await deleteWebhook(admin, id);
    expect(await hasSecret(`webhook:${id}`)).toBe(false);
  });

  it('seals the plaintext a migration left behind, then drops the holding table', async () => {
    await getPool().query(
      `CREATE TABLE IF NOT EXISTS secret_plaintext_pending (name text PRIMARY KEY, value text NOT NULL)`,
    );
    await getPool().query(`INSERT INTO secret_plaintext_pending VALUES ('webhook:41', 'legacy-plain-secret')`);
    const lines: string[] = [];
    expect(await sealPendingSecrets(process.env.DATABASE_URL!, (l) => lines.push(l))).toBe(1);
    expect(await getSecret('webhook:41')).toBe('legacy-plain-secret');
    expect(await wholeDatabaseText()).not.toMatch(/legacy-plain-secret/);
    expect(lines.join()).not.toContain('legacy-plain-secret');
    const { rows } = await getPool().query(`SELECT to_regclass('secret_plaintext_pending') AS t`);
    expect(rows[0].t).toBeNull();
    expect(await sealPendingSecrets(process.env.DATABASE_URL!)).toBe(0);
  });

  it('rotates: a new key file, every row re-sealed, the old key forgotten', async () => {
    await putSecret('webhook:1', 'one');
    await putSecret('webhook:2', 'two');
    const { previous, next } = replaceKeyFile();
    expect(await getSecret('webhook:1')).toBe('one'); // still opens with the .old key
    const result = await rotateSecrets();
    expect(result.resealed).toBe(2);
    expect(result.removedKeyFiles).toEqual([`secret-key.${previous.id}.old`]);
    const { rows } = await getPool().query(`SELECT DISTINCT key_id FROM secret`);
    expect(rows).toEqual([{ key_id: next.id }]);
    expect([await getSecret('webhook:1'), await getSecret('webhook:2')]).toEqual(['one', 'two']);
  });
});
