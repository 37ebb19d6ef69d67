// Hit value sets, importable from client components (lib/hits/filters.ts pulls in the Prisma client).
export const DIRECTIONS = ['outbound', 'inbound', 'listening', 'unknown'] as const;
export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export const STATUSES = ['new', 'investigating', 'true_positive', 'benign', 'suppressed'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export type Confidence = (typeof CONFIDENCES)[number];
export type HitStatus = (typeof STATUSES)[number];
