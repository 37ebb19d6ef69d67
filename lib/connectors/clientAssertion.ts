import {
  createHash,
  createPrivateKey,
  randomUUID,
  sign,
  constants,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { ConnectorInputError } from './types';

// Certificate credentials for Microsoft Graph (docs/architecture.md §6.5.1): instead of a client secret, the app proves
// itself with a client assertion — a JWT signed with the private key of a certificate registered on the app, as the
// Microsoft identity platform describes ("certificate credentials"): header `alg: PS256`, `typ: JWT`, `x5t#S256` (the
// base64url SHA-256 thumbprint of the certificate's DER); claims `aud` (the token endpoint), `iss` = `sub` = the client
// id, `jti`, `nbf`/`iat` now, `exp` shortly after. The PEM bundle (certificate + private key) lives in the secret store.

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** How long an assertion is valid (Microsoft: keep it short, 5–10 minutes after nbf). */
const LIFETIME_SECONDS = 600;

export interface ClientCertificate {
  certificate: X509Certificate;
  key: KeyObject;
}

export interface CertificateSummary {
  /** SHA-1 thumbprint in hex, upper case: what the Entra portal shows under Certificates & secrets. */
  thumbprint: string;
  /** The certificate's notAfter, ISO. */
  expiresAt: string;
  subject: string;
}

/**
 * Reads a PEM bundle holding the certificate and its unencrypted private key (either order); the key must be RSA and
 * belong to the certificate. Throws ConnectorInputError naming the field.
 */
export function parseClientCertificate(pem: string, field = 'clientCertificate'): ClientCertificate {
  const certBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const keyBlock =
    /-----BEGIN (?:RSA |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |ENCRYPTED )?PRIVATE KEY-----/.exec(
      pem,
    )?.[0];
  if (!certBlock) throw new ConnectorInputError(field, 'the PEM has no certificate (-----BEGIN CERTIFICATE-----)');
  if (!keyBlock) throw new ConnectorInputError(field, 'the PEM has no private key (-----BEGIN PRIVATE KEY-----)');
  if (keyBlock.includes('ENCRYPTED'))
    throw new ConnectorInputError(field, 'the private key is encrypted: give it without a passphrase');
  let certificate: X509Certificate;
  let key: KeyObject;
  try {
    certificate = new X509Certificate(certBlock);
  } catch {
    throw new ConnectorInputError(field, 'the certificate cannot be read');
  }
  try {
    key = createPrivateKey(keyBlock);
  } catch {
    throw new ConnectorInputError(field, 'the private key cannot be read');
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new ConnectorInputError(
      field,
      `the key is ${key.asymmetricKeyType ?? 'unknown'}: Entra signs PS256 with RSA`,
    );
  if (!certificate.checkPrivateKey(key))
    throw new ConnectorInputError(field, 'the private key does not belong to the certificate');
  return { certificate, key };
}

export function summarizeCertificate({ certificate }: ClientCertificate): CertificateSummary {
  return {
    thumbprint: createHash('sha1').update(certificate.raw).digest('hex').toUpperCase(),
    expiresAt: new Date(certificate.validTo).toISOString(),
    subject: certificate.subject.replace(/\n/g, ', '),
  };
}

/** base64url SHA-256 of the certificate's DER: the `x5t#S256` header. */
export function thumbprintS256(certificate: X509Certificate): string {
  return createHash('sha256').update(certificate.raw).digest('base64url');
}

/** A fresh client assertion for `tokenUrl` (the `aud`), signed PS256. */
export function clientAssertion(credential: ClientCertificate, clientId: string, tokenUrl: string, now = Date.now()) {
  const seconds = Math.floor(now / 1000);
  const header = { alg: 'PS256', typ: 'JWT', 'x5t#S256': thumbprintS256(credential.certificate) };
  const claims = {
    aud: tokenUrl,
    iss: clientId,
    sub: clientId,
    jti: randomUUID(),
    nbf: seconds,
    iat: seconds,
    exp: seconds + LIFETIME_SECONDS,
  };
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), {
    key: credential.key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
  });
  return `${signingInput}.${signature.toString('base64url')}`;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
