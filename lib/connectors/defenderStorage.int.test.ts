import { AccountSASPermissions, BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type Azurite } from './__tests__/azurite';
import { connectorBatches, eventCount, runAndKill, runLine, torwatch } from './__tests__/connectorHarness';
import { deviceInfoRecords, hourBlob, networkRecords } from './__tests__/defenderRecords';

useTestDatabase();

const NETWORK = 'insights-logs-advancedhunting-devicenetworkevents';
const DEVICE_INFO = 'insights-logs-advancedhunting-deviceinfo';
const HOUR = (h: number) => new Date(Date.UTC(2026, 10, 30, h));

let azurite: Azurite;
let service: BlobServiceClient;

beforeAll(async () => {
  azurite = await startAzurite();
  service = BlobServiceClient.fromConnectionString(azurite.connectionString);
});
afterAll(async () => {
  await azurite?.stop();
});
beforeEach(async () => {
  await resetDatabase();
});
afterEach(async () => {
  for await (const container of service.listContainers()) await service.deleteContainer(container.name);
});

async function append(container: string, blob: string, text: string): Promise<void> {
  const client = service.getContainerClient(container);
  await client.createIfNotExists();
  const appendBlob = client.getAppendBlobClient(blob);
  await appendBlob.createIfNotExists();
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += 4 * 1024 * 1024) {
    const block = bytes.subarray(at, at + 4 * 1024 * 1024);
    await appendBlob.appendBlock(block, block.length);
  }
}

function add(args: string[], name = 'defender'): void {
  const added = torwatch(['connector', 'add', 'defender-storage', '--name', name, ...args]);
  expect(added.stderr).toBe('');
  expect(added.status).toBe(0);
}

function run(name = 'defender'): Record<string, string> {
  const result = torwatch(['connector', 'run', name]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return runLine(result.stdout, name);
}

// A test starts the CLI up to eight times against Azurite on the same cores: minutes on a loaded machine.
describe('defender-storage connector (Azurite)', { timeout: 180_000 }, () => {
  it('reads appended records once, a record cut between two appends whole, new hours, late blobs and old blobs that grow', async () => {
    const h0 = hourBlob(HOUR(0));
    await append(NETWORK, h0, networkRecords(0, 50));
    const more = networkRecords(50, 51);
    const cut = more.length - 40;
    await append(NETWORK, h0, more.slice(0, cut));
    await append(DEVICE_INFO, h0, deviceInfoRecords(0, 10));
    add(['--connection-string', azurite.connectionString]);
    expect(run()).toMatchObject({ events: '110', inserted: '110', duplicate: '0', rejected: '0' });
    expect(run()).toMatchObject({ events: '0', inserted: '0' });

    await append(NETWORK, h0, more.slice(cut) + networkRecords(101, 19));
    expect(run()).toMatchObject({ inserted: '20', duplicate: '0' });

    // The next hour's blob, then a late blob of an earlier hour, and the first hour's blob growing again.
    await append(NETWORK, hourBlob(HOUR(1)), networkRecords(3600, 30));
    expect(run()).toMatchObject({ inserted: '30', duplicate: '0' });
    await append(
      NETWORK,
      hourBlob(new Date(Date.UTC(2026, 10, 29, 23))),
      networkRecords(5000, 5, Date.UTC(2026, 10, 29, 23) - 5_000_000),
    );
    await append(NETWORK, h0, networkRecords(120, 4));
    expect(run()).toMatchObject({ inserted: '9', duplicate: '0' });

    expect(await eventCount('defender')).toBe(100 + 20 + 30 + 9);
    const devices = await getPool().query('SELECT count(*)::int AS n FROM device_info_record');
    expect(devices.rows[0].n).toBe(10);
  });

  it('reads only the Defender containers there are; a named container that is missing is an error', async () => {
    await append(NETWORK, hourBlob(HOUR(0)), networkRecords(0, 5));
    await append('unrelated', 'x.json', networkRecords(100, 5));
    add(['--connection-string', azurite.connectionString]);
    expect(run()).toMatchObject({ inserted: '5' });
    add(['--connection-string', azurite.connectionString, '--containers', `${NETWORK},${DEVICE_INFO}`], 'named');
    const missing = torwatch(['connector', 'run', 'named']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`container ${DEVICE_INFO} does not exist`);
  });

  it('a malformed record is a reject naming the blob and line, and the connector carries on', async () => {
    const h0 = hourBlob(HOUR(0));
    await append(
      NETWORK,
      h0,
      networkRecords(0, 2) + '{"time":"2026-11-30T00:00:09Z","category":\n' + networkRecords(2, 2),
    );
    add(['--connection-string', azurite.connectionString]);
    expect(run()).toMatchObject({ events: '5', inserted: '4', rejected: '1' });
    const { rows } = await getPool().query(
      `SELECT b.file_name, r.line, r.field FROM ingest_reject r JOIN ingest_batch b ON b.id = r.batch_id`,
    );
    expect(rows).toEqual([{ file_name: `${NETWORK}/${h0}@0`, line: 3, field: 'json' }]);
  });

  it('a reject in a later piece of a blob names its line counted from the blob start, not from the piece', async () => {
    const h0 = hourBlob(HOUR(0));
    await append(NETWORK, h0, networkRecords(0, 7));
    add(['--connection-string', azurite.connectionString]);
    expect(run()).toMatchObject({ inserted: '7', rejected: '0' });
    // The second piece starts at the blob's line 8: its bad record is the blob's line 10.
    await append(
      NETWORK,
      h0,
      networkRecords(7, 2) + '{"time":"2026-11-30T00:00:09Z","category":\n' + networkRecords(9, 1),
    );
    expect(run()).toMatchObject({ inserted: '3', rejected: '1' });
    await append(NETWORK, h0, '{"broken\n');
    expect(run()).toMatchObject({ inserted: '0', rejected: '1' });
    const { rows } = await getPool().query(
      `SELECT b.file_name, r.line FROM ingest_reject r JOIN ingest_batch b ON b.id = r.batch_id ORDER BY r.line`,
    );
    expect(rows.map((r) => r.line)).toEqual([10, 12]);
    expect(rows[0].file_name).toMatch(new RegExp(`^${NETWORK}/${h0.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}@\\d+$`));
  });

  it('prunes the cursors of blobs deleted from the account once they have not moved for a day', async () => {
    for (let h = 0; h < 3; h++) await append(NETWORK, hourBlob(HOUR(h)), networkRecords(h * 3600, 4));
    add(['--connection-string', azurite.connectionString]);
    expect(run()).toMatchObject({ inserted: '12' });
    const keys = async () =>
      (await getPool().query<{ key: string }>('SELECT key FROM connector_cursor ORDER BY key')).rows.map((r) => r.key);
    expect(await keys()).toHaveLength(3);
    await service.getContainerClient(NETWORK).deleteBlob(hourBlob(HOUR(0)));
    expect(run()).toMatchObject({ events: '0' });
    expect(await keys()).toHaveLength(3);
    await getPool().query(`UPDATE connector_cursor SET updated_at = now() - interval '25 hours'`);
    expect(run()).toMatchObject({ events: '0', duplicate: '0' });
    expect(await keys()).toEqual([`${NETWORK}/${hourBlob(HOUR(1))}`, `${NETWORK}/${hourBlob(HOUR(2))}`]);
  });

  it('a wrong key, an expired SAS and an unreachable endpoint each give one clear error; a SAS URL works', async () => {
    await append(NETWORK, hourBlob(HOUR(0)), networkRecords(0, 5));
    const wrong = azurite.connectionString.replace(AZURITE_KEY, Buffer.alloc(64, 7).toString('base64'));
    add(['--connection-string', wrong], 'wrong-key');
    const denied = torwatch(['connector', 'run', 'wrong-key']);
    expect(denied.status).toBe(1);
    expect(denied.stderr).toMatch(/access denied \(403 \w+\): check the account key or SAS/);

    const keyed = new BlobServiceClient(azurite.endpoint, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
    const sas = (expiresOn: Date) =>
      keyed.generateAccountSasUrl(expiresOn, AccountSASPermissions.parse('rl'), 'sco', {
        startsOn: new Date(expiresOn.getTime() - 2 * 3600_000),
      });
    add(['--sas-url', sas(new Date(Date.now() - 60_000))], 'expired');
    const expired = torwatch(['connector', 'run', 'expired']);
    expect(expired.status).toBe(1);
    expect(expired.stderr).toMatch(/403/);

    add(['--sas-url', sas(new Date(Date.now() + 3600_000))], 'sas');
    expect(run('sas')).toMatchObject({ inserted: '5' });

    add(['--connection-string', azurite.connectionString.replace(/:\d+\//, ':1/')], 'refused');
    const refused = torwatch(['connector', 'run', 'refused']);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/ECONNREFUSED|refused/);
  });

  it('a credential replaced in place (an expired SAS, then a fresh one): the next run carries on from its cursors', async () => {
    await append(NETWORK, hourBlob(HOUR(0)), networkRecords(0, 5));
    add(['--connection-string', azurite.connectionString]);
    expect(run()).toMatchObject({ inserted: '5' });
    const keyed = new BlobServiceClient(azurite.endpoint, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
    const sas = (expiresOn: Date) =>
      keyed.generateAccountSasUrl(expiresOn, AccountSASPermissions.parse('rl'), 'sco', {
        startsOn: new Date(expiresOn.getTime() - 2 * 3600_000),
      });
    const replace = (option: string, value: string) =>
      torwatch(['connector', 'credential', 'defender', option], {}, value + '\n');

    expect(replace('--sas-url-stdin', sas(new Date(Date.now() - 60_000)))).toMatchObject({ status: 0, stderr: '' });
    const expired = torwatch(['connector', 'run', 'defender']);
    expect(expired.status).toBe(1);
    expect(expired.stderr).toMatch(/403/);

    await append(NETWORK, hourBlob(HOUR(0)), networkRecords(5, 3));
    const fresh = sas(new Date(Date.now() + 3600_000));
    expect(replace('--sas-url-stdin', fresh)).toMatchObject({ status: 0, stderr: '' });
    expect(run()).toMatchObject({ events: '3', inserted: '3', duplicate: '0' });
    expect(await eventCount('defender')).toBe(8);

    // One sealed secret, the SAS; the connection string is gone; the audit names the kind of credential only.
    const secrets = await getPool().query<{ name: string }>('SELECT name FROM secret ORDER BY name');
    expect(secrets.rows.map((r) => r.name)).toEqual([expect.stringMatching(/^connector:\d+:sas-url$/)]);
    const { rows } = await getPool().query(
      `SELECT action, details FROM audit_log WHERE action = 'connector.credential'`,
    );
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toContain(new URL(fresh).searchParams.get('sig')!);
    expect(rows[0].details).toMatchObject({ credential: 'sas-url' });

    // Checked like a new connector's: a credential of another kind, or none, changes nothing.
    const other = replace('--client-secret-stdin', 'not-for-storage');
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/takes a connection string or a SAS URL/);
    const unsigned = replace('--sas-url-stdin', 'https://acct.blob.core.windows.net/?sv=2024');
    expect(unsigned.status).toBe(1);
    expect(unsigned.stderr).toMatch(/no signature/);
    const two = torwatch(
      ['connector', 'credential', 'defender', '--sas-url-stdin', '--client-secret-stdin'],
      {},
      'x\n',
    );
    expect(two.status).toBe(2);
    expect(run()).toMatchObject({ events: '0', inserted: '0' });
  });

  it('keeps the connection string sealed in the secret store, and the outbound guard applies to the SDK', async () => {
    await append(NETWORK, hourBlob(HOUR(0)), networkRecords(0, 5));
    add(['--connection-string', azurite.connectionString]);
    const { rows } = await getPool().query(`SELECT * FROM secret`);
    expect(rows.length).toBe(1);
    expect(JSON.stringify(rows)).not.toContain(AZURITE_KEY);
    const guarded = torwatch(['connector', 'run', 'defender'], { TORWATCH_OUTBOUND_ALLOW: '' });
    expect(guarded.status).toBe(1);
    expect(guarded.stderr).toMatch(/refused/);
    expect(await eventCount('defender')).toBe(0);
    expect(run()).toMatchObject({ inserted: '5' });
  });

  describe('exactly once under kill -9', () => {
    const BLOBS = 4;
    const PER_BLOB = 3600;
    async function fill(): Promise<void> {
      for (let b = 0; b < BLOBS; b++) await append(NETWORK, hourBlob(HOUR(b)), networkRecords(b * 3600, PER_BLOB));
    }

    for (const point of ['mid-copy@3', 'before-commit@2', 'after-commit@1'])
      it(`crashed at ${point}, the next run neither loses nor doubles an event`, async () => {
        await fill();
        add(['--connection-string', azurite.connectionString]);
        const crashed = torwatch(['connector', 'run', 'defender'], { TORWATCH_TEST_CRASH: point });
        expect(crashed.signal).toBe('SIGKILL');
        expect(run()).toMatchObject({ duplicate: '0', rejected: '0' });
        expect(await eventCount('defender')).toBe(BLOBS * PER_BLOB);
        expect(await connectorBatches('defender')).toMatchObject({ inserted: BLOBS * PER_BLOB, duplicate: 0 });
      });

    it('killed at random times, runs until one completes: every record stored once, none read twice', async () => {
      await fill();
      add(['--connection-string', azurite.connectionString]);
      for (let attempts = 1; ; attempts++) {
        const result = await runAndKill('defender', 1500 + Math.floor(Math.random() * 5000));
        if (result.status === 0) break;
        expect(result.signal).toBe('SIGKILL');
        expect(attempts).toBeLessThan(30);
      }
      expect(await eventCount('defender')).toBe(BLOBS * PER_BLOB);
      expect(await connectorBatches('defender')).toMatchObject({ inserted: BLOBS * PER_BLOB, duplicate: 0 });
    });
  });
});
