import { z } from 'zod';
import { DIRECTIONS } from '@/lib/hits/filters';
import { canonicalIp } from '@/lib/net/ip';
import { parseInstant } from '@/lib/time/instant';

// What a suppression rule may say (issue #8): any of device, process file name / folder / SHA-256, relay address (or
// network) or fingerprint, action type, direction — at least one — plus a reason and an optional expiry.
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || undefined);

export const CRITERIA = [
  'deviceId',
  'processFileName',
  'processFolderPath',
  'processSha256',
  'relayIp',
  'relayFingerprint',
  'actionType',
  'direction',
] as const;
export type RuleCriterion = (typeof CRITERIA)[number];

export const suppressionRuleInput = z
  .object({
    deviceId: optionalText(200),
    processFileName: optionalText(260),
    processFolderPath: optionalText(1000),
    processSha256: optionalText(64)
      .refine((v) => v === undefined || /^[0-9a-f]{64}$/i.test(v), 'a SHA-256 is 64 hex digits')
      .transform((v) => v?.toLowerCase()),
    relayIp: optionalText(64)
      .refine(
        (v) => v === undefined || canonicalNetwork(v) !== null,
        'an IP address or a network such as 198.51.100.0/24',
      )
      .transform((v) => (v === undefined ? undefined : canonicalNetwork(v)!)),
    relayFingerprint: optionalText(40)
      .refine((v) => v === undefined || /^[0-9a-f]{40}$/i.test(v), 'a relay fingerprint is 40 hex digits')
      .transform((v) => v?.toUpperCase()),
    actionType: optionalText(100),
    direction: z
      .union([z.enum(DIRECTIONS), z.literal('')])
      .optional()
      .transform((v) => v || undefined),
    reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500),
    expiresAt: optionalText(40)
      .refine((v) => v === undefined || parseInstant(v) !== null, 'not a date (ISO 8601, e.g. 2027-01-31T00:00:00Z)')
      .transform((v) => (v ? parseInstant(v)! : undefined))
      .refine((v) => v === undefined || v.getTime() > Date.now(), 'must lie in the future'),
  })
  .refine((rule) => CRITERIA.some((c) => rule[c] !== undefined), {
    message:
      'give at least one criterion (device, process, hash, relay, action or direction): a rule without one would hide every hit',
    path: ['criteria'],
  });

export type SuppressionRuleInput = z.output<typeof suppressionRuleInput>;

/** `1.2.3.4`, `::ffff:1.2.3.4` or `2001:DB8::1/64` in canonical form (docs/architecture.md §3), or null. */
function canonicalNetwork(text: string): string | null {
  const [address, prefix, ...rest] = text.split('/');
  const ip = canonicalIp(address);
  if (rest.length || ip === null) return null;
  if (prefix === undefined) return ip;
  const max = ip.includes(':') ? 128 : 32;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= max ? `${ip}/${Number(prefix)}` : null;
}
