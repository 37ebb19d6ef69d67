import { execFileSync } from 'node:child_process';

// A self-signed RSA certificate and its key for the certificate-credential tests, made by openssl (`req -x509`).

export interface TestCertificate {
  /** The certificate alone (what is uploaded to the app registration). */
  certificate: string;
  /** Certificate and unencrypted private key in one PEM (what TorWatch is given). */
  bundle: string;
}

export function makeCertificate(cn = 'torwatch-test', days = 2): TestCertificate {
  const out = execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${cn}`,
      '-days',
      String(days),
      '-keyout',
      '-',
      '-out',
      '-',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(out)?.[0];
  if (!certificate) throw new Error('openssl gave no certificate');
  return { certificate, bundle: out };
}
