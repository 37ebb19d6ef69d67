import { execFileSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { seedHits } from '../queries/__fixtures__/seedHits';
import { ReportSendError, sendReport } from './sendReport';

// The report e-mail over TLS (issue 17, docs/architecture.md §8.6.1): real smtp-server instances on loopback with
// certificates made here by openssl — a test CA and a server certificate it signed for "localhost", and a self-signed
// one. smtp:// upgrades with STARTTLS when offered, smtps:// is TLS from the first byte, certificates are verified
// (chain and host name) unless TORWATCH_SMTP_CA_FILE trusts the issuer or TORWATCH_SMTP_TLS_VERIFY=off.

useTestDatabase();

interface Delivery {
  server: string;
  secure: boolean;
  to: string[];
}
const deliveries: Delivery[] = [];
const servers: SMTPServer[] = [];
const ports: Record<string, number> = {};
const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-smtp-tls-'));
const file = (name: string) => path.join(dir, name);
const ENV_KEYS = ['TORWATCH_SMTP_URL', 'TORWATCH_SMTP_CA_FILE', 'TORWATCH_SMTP_TLS_VERIFY', 'TORWATCH_OUTBOUND_ALLOW'];
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

function openssl(...args: string[]) {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA, a server certificate it signed for DNS:localhost only, and a self-signed certificate for localhost. */
function makeCertificates() {
  const days = ['-days', '2'];
  openssl(
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key',
    '-out', 'ca.pem', '-subj', '/CN=TorWatch test CA', ...days,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ); // prettier-ignore
  openssl(
    'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key',
    '-out', 'server.csr', '-subj', '/CN=localhost',
  ); // prettier-ignore
  writeFileSync(file('server.ext'), 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(
    'x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', 'server.pem', '-extfile', 'server.ext', ...days,
  ); // prettier-ignore
  openssl(
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'self.key',
    '-out', 'self.pem', '-subj', '/CN=localhost', ...days, '-addext', 'subjectAltName=DNS:localhost',
  ); // prettier-ignore
}

async function startServer(name: string, address: string, options: SMTPServerOptions): Promise<void> {
  const server = new SMTPServer({
    ...options,
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        deliveries.push({ server: name, secure: session.secure, to: session.envelope.rcptTo.map((r) => r.address) });
        callback();
      });
    },
  });
  // A client refusing the certificate hangs up mid-handshake: the server reports that as an error event.
  server.on('error', () => {});
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  ports[name] = (server.server.address() as AddressInfo).port;
}

beforeAll(async () => {
  makeCertificates();
  await resetDatabase();
  await seedHits(200, new Date(), 20);
  // The address "localhost" resolves to first is where the outbound guard sends the connection.
  const { address } = await lookup('localhost', { verbatim: true });
  const signed = { key: readFileSync(file('server.key')), cert: readFileSync(file('server.pem')) };
  await startServer('starttls', address, signed);
  await startServer('implicit', address, { ...signed, secure: true });
  await startServer('self-signed', address, {
    key: readFileSync(file('self.key')),
    cert: readFileSync(file('self.pem')),
    secure: true,
  });
  await startServer('plain', address, { disabledCommands: ['STARTTLS'] });
  // The signed certificate names localhost only: connecting by the loopback address must fail the host name check.
  await startServer('starttls-by-address', '127.0.0.1', signed);
});

afterEach(() => {
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  rmSync(dir, { recursive: true, force: true });
});

/** Sends the 1-day report through TORWATCH_SMTP_URL and the TLS variables, as the CLI and the schedule do. */
async function send(url: string, env: { ca?: string; verify?: 'on' | 'off' } = {}) {
  process.env.TORWATCH_SMTP_URL = url;
  process.env.TORWATCH_OUTBOUND_ALLOW = 'localhost,127.0.0.1/32,::1/128';
  if (env.ca) process.env.TORWATCH_SMTP_CA_FILE = env.ca;
  else delete process.env.TORWATCH_SMTP_CA_FILE;
  if (env.verify) process.env.TORWATCH_SMTP_TLS_VERIFY = env.verify;
  else delete process.env.TORWATCH_SMTP_TLS_VERIFY;
  const before = deliveries.length;
  const result = await sendReport({ to: ['ciso@example.test'], days: 1, trigger: 'manual' });
  expect(result.accepted).toEqual(['ciso@example.test']);
  expect(deliveries.length).toBe(before + 1);
  return deliveries.at(-1)!;
}

describe('report e-mail over TLS', () => {
  it('smtp:// upgrades with STARTTLS when the server offers it, and verifies the certificate against the CA file', async () => {
    const delivery = await send(`smtp://localhost:${ports.starttls}`, { ca: file('ca.pem') });
    expect(delivery).toEqual({ server: 'starttls', secure: true, to: ['ciso@example.test'] });
  });

  it('smtp:// stays plain only when the server offers no STARTTLS', async () => {
    const delivery = await send(`smtp://localhost:${ports.plain}`);
    expect(delivery).toMatchObject({ server: 'plain', secure: false });
  });

  it('smtps:// is TLS from the first byte', async () => {
    const delivery = await send(`smtps://localhost:${ports.implicit}`, { ca: file('ca.pem') });
    expect(delivery).toMatchObject({ server: 'implicit', secure: true });
  });

  it('refuses a certificate from an unknown CA, with advice in words, and never falls back to plain text', async () => {
    const before = deliveries.length;
    for (const url of [`smtp://localhost:${ports.starttls}`, `smtps://localhost:${ports.implicit}`]) {
      const failure = send(url);
      await expect(failure).rejects.toBeInstanceOf(ReportSendError);
      await expect(failure).rejects.toThrow(/TLS certificate was not accepted: .*TORWATCH_SMTP_CA_FILE/);
    }
    expect(deliveries.length).toBe(before);
  });

  it('checks the host name even for a trusted CA', async () => {
    const failure = send(`smtp://127.0.0.1:${ports['starttls-by-address']}`, { ca: file('ca.pem') });
    await expect(failure).rejects.toThrow(/TLS certificate was not accepted: .*(IP: 127\.0\.0\.1|altnames)/);
  });

  it("trusts a relay's own self-signed certificate given as the CA file, or any with TORWATCH_SMTP_TLS_VERIFY=off", async () => {
    await expect(send(`smtps://localhost:${ports['self-signed']}`)).rejects.toThrow(/self-signed certificate/);
    expect(await send(`smtps://localhost:${ports['self-signed']}`, { ca: file('self.pem') })).toMatchObject({
      server: 'self-signed',
      secure: true,
    });
    expect(await send(`smtps://localhost:${ports['self-signed']}`, { verify: 'off' })).toMatchObject({
      server: 'self-signed',
      secure: true,
    });
  });

  it('names the variable when the CA file cannot be used', async () => {
    await expect(send(`smtps://localhost:${ports.implicit}`, { ca: file('missing.pem') })).rejects.toThrow(
      /^TORWATCH_SMTP_CA_FILE: cannot read .*missing\.pem \(ENOENT\)$/,
    );
    await expect(send(`smtps://localhost:${ports.implicit}`, { ca: file('server.ext') })).rejects.toThrow(
      /^TORWATCH_SMTP_CA_FILE: .*server\.ext holds no PEM certificate$/,
    );
  });
});
