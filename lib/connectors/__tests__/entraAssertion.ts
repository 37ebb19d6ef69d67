import { constants, createHash, verify, X509Certificate } from 'node:crypto';

// What the Entra token endpoint checks of a client assertion (certificate credentials), for the loopback fake: the
// JWT's signature against the public key of the certificate registered on the app — found by the `x5t#S256` thumbprint
// in the header — and its claims (aud, iss, sub, time range, a jti not seen before). Written apart from the connector's
// signer (clientAssertion.ts), so the two are checked against each other, not against themselves.

export interface AssertionCheck {
  /** PEM of the certificates registered on the app (public part only). */
  certificates: string[];
  clientId: string;
  /** The token endpoint URL the assertion must name in `aud`. */
  audience: string;
  /** jti values already used (replays are refused). */
  seen: Set<string>;
  now?: number;
}

/** null when the assertion is good; else the AADSTS error description the service would give. */
export function checkClientAssertion(assertion: string, check: AssertionCheck): string | null {
  const parts = assertion.split('.');
  if (parts.length !== 3) return 'AADSTS50027: JWT token is invalid or malformed.';
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return 'AADSTS50027: JWT token is invalid or malformed.';
  }
  if (header.alg !== 'PS256' && header.alg !== 'RS256')
    return `AADSTS5002730: Invalid JWT token. Unsupported key for the signing algorithm (${String(header.alg)}).`;
  const registered = check.certificates
    .map((pem) => new X509Certificate(pem))
    .find((cert) => createHash('sha256').update(cert.raw).digest('base64url') === header['x5t#S256']);
  if (!registered)
    return `AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${String(header['x5t#S256'])}']`;
  const signed = verify(
    'sha256',
    Buffer.from(`${parts[0]}.${parts[1]}`),
    header.alg === 'PS256'
      ? { key: registered.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
      : registered.publicKey,
    Buffer.from(parts[2], 'base64url'),
  );
  if (!signed) return 'AADSTS700027: Client assertion failed signature validation.';
  if (claims.aud !== check.audience)
    return `AADSTS700016: The audience claim ${String(claims.aud)} is not ${check.audience}.`;
  if (claims.iss !== check.clientId || claims.sub !== check.clientId)
    return 'AADSTS700023: Client assertion audience claim does not match Realm issuer.';
  const now = Math.floor((check.now ?? Date.now()) / 1000);
  const skew = 300;
  if (typeof claims.exp !== 'number' || typeof claims.nbf !== 'number' || claims.nbf > now + skew || claims.exp <= now)
    return 'AADSTS700024: Client assertion is not within its valid time range.';
  if (typeof claims.jti !== 'string' || claims.jti === '') return 'AADSTS700021: Client assertion has no jti.';
  if (check.seen.has(claims.jti)) return 'AADSTS700025: Client assertion contains a jti that was already used.';
  check.seen.add(claims.jti);
  return null;
}
