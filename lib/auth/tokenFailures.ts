import { audit } from './audit';
import { auditAddress, clientAddress } from './clientAddress';

// Failed bearer-token attempts (issue #14) leave an audit row `token.failure` — at most one per client address a
// minute, so someone trying tokens in a loop cannot flood the audit log; the row counts how many were dropped since.
const WINDOW_MS = 60_000;
const recent = new Map<string, { at: number; suppressed: number }>();

export async function auditFailedToken(request: Request, secret: string | null, now = Date.now()): Promise<void> {
  const key = clientAddress(request.headers);
  const last = recent.get(key);
  if (last && now - last.at < WINDOW_MS) {
    last.suppressed += 1;
    return;
  }
  if (recent.size > 10_000) recent.clear();
  recent.set(key, { at: now, suppressed: 0 });
  await audit(
    null,
    'token.failure',
    // The first characters identify a token in lists (its prefix); never the secret itself.
    secret ? secret.slice(0, 10) : '(malformed Authorization header)',
    {
      path: new URL(request.url).pathname,
      method: request.method,
      ...(last ? { suppressedSinceLastRow: last.suppressed } : {}),
    },
    auditAddress(request.headers),
  );
}
