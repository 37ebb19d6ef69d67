import { z } from 'zod';
import { CONFIDENCES } from '@/lib/hits/filters';
import { WEBHOOK_FORMATS } from './alertPayload';

// What an admin may configure for a webhook. The secret is write-only: an empty secret on update keeps the old one.
export const webhookInput = z.object({
  name: z.string().trim().min(1, 'give the webhook a name').max(100),
  url: z
    .string()
    .trim()
    .max(2000)
    .refine((v) => {
      try {
        const url = new URL(v);
        return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
      } catch {
        return false;
      }
    }, 'an http(s) URL without credentials, e.g. https://hooks.slack.com/services/…'),
  format: z.enum(WEBHOOK_FORMATS),
  minConfidence: z.enum(CONFIDENCES),
  // episode: one message per new episode (naming its hits, linking to it); hit: one message per run listing new hits
  alertPer: z.enum(['episode', 'hit']).default('episode'),
  secret: z
    .string()
    .max(200)
    .optional()
    .transform((v) => v || undefined),
  clearSecret: z.boolean().optional(),
  enabled: z.boolean().default(true),
});

export type WebhookInput = z.output<typeof webhookInput>;
