import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkClientAssertion } from './__tests__/entraAssertion';
import { makeCertificate, type TestCertificate } from './__tests__/testCertificate';
import { clientAssertion, parseClientCertificate, summarizeCertificate, thumbprintS256 } from './clientAssertion';
import { ConnectorInputError } from './types';

const CLIENT = '11111111-2222-3333-4444-555555555555';
const TOKEN_URL = 'https://login.example.test/contoso/oauth2/v2.0/token';

let app: TestCertificate;
let other: TestCertificate;
beforeAll(() => {
  app = makeCertificate('torwatch-app');
  other = makeCertificate('someone-else');
}, 30_000);

const check = (certificates: string[], now?: number) => ({
  certificates,
  clientId: CLIENT,
  audience: TOKEN_URL,
  seen: new Set<string>(),
  now,
});

describe('client assertion (certificate credentials)', () => {
  it('is a PS256 JWT with the x5t#S256 thumbprint and the claims Entra asks for, verified with the public certificate', () => {
    const credential = parseClientCertificate(app.bundle);
    const jwt = clientAssertion(credential, CLIENT, TOKEN_URL, Date.UTC(2026, 10, 30, 12));
    const [header, claims] = jwt
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toEqual({
      alg: 'PS256',
      typ: 'JWT',
      'x5t#S256': thumbprintS256(new X509Certificate(app.certificate)),
    });
    expect(claims).toMatchObject({ aud: TOKEN_URL, iss: CLIENT, sub: CLIENT, nbf: 1796040000, exp: 1796040600 });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(checkClientAssertion(jwt, check([app.certificate], Date.UTC(2026, 10, 30, 12, 5)))).toBeNull();
  });

  it('is refused when signed by another key, altered, out of its time range, replayed, or for another audience', () => {
    const mine = parseClientCertificate(app.bundle);
    const theirs = parseClientCertificate(other.bundle);
    const now = Date.now();
    // Signed with another key while naming the registered certificate's thumbprint.
    const forged = clientAssertion(theirs, CLIENT, TOKEN_URL, now).split('.');
    const honest = clientAssertion(mine, CLIENT, TOKEN_URL, now).split('.');
    const forgedHeader = honest[0];
    expect(checkClientAssertion(`${forgedHeader}.${forged[1]}.${forged[2]}`, check([app.certificate]))).toMatch(
      /AADSTS700027: Client assertion failed signature validation/,
    );
    // A certificate the app does not have.
    expect(checkClientAssertion(forged.join('.'), check([app.certificate]))).toMatch(/AADSTS700027: The certificate/);
    // Claims changed after signing.
    const claims = JSON.parse(Buffer.from(honest[1], 'base64url').toString());
    const altered = Buffer.from(JSON.stringify({ ...claims, sub: 'someone' })).toString('base64url');
    expect(checkClientAssertion(`${honest[0]}.${altered}.${honest[2]}`, check([app.certificate]))).toMatch(
      /signature validation/,
    );
    expect(checkClientAssertion(honest.join('.'), check([app.certificate], now + 3600_000))).toMatch(/AADSTS700024/);
    const once = check([app.certificate]);
    expect(checkClientAssertion(honest.join('.'), once)).toBeNull();
    expect(checkClientAssertion(honest.join('.'), once)).toMatch(/AADSTS700025/);
    const elsewhere = clientAssertion(mine, CLIENT, 'https://login.example.test/other/oauth2/v2.0/token');
    expect(checkClientAssertion(elsewhere, check([app.certificate]))).toMatch(/AADSTS700016/);
  });

  it('reads the PEM bundle in either order and refuses a key of another certificate, a missing key or certificate', () => {
    const summary = summarizeCertificate(parseClientCertificate(app.bundle));
    const x509 = new X509Certificate(app.certificate);
    expect(summary.thumbprint).toBe(x509.fingerprint.replace(/:/g, ''));
    expect(summary.expiresAt).toBe(new Date(x509.validTo).toISOString());
    const key = app.bundle.replace(app.certificate, '');
    expect(() => parseClientCertificate(app.certificate + key)).not.toThrow();
    const mismatch = () => parseClientCertificate(app.certificate + other.bundle.replace(other.certificate, ''));
    expect(mismatch).toThrow(ConnectorInputError);
    expect(mismatch).toThrow('the private key does not belong to the certificate');
    expect(() => parseClientCertificate(app.certificate)).toThrow('no private key');
    expect(() => parseClientCertificate(key)).toThrow('no certificate');
  });
});
