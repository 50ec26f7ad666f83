import { z } from 'zod';
import { DriftKind } from './outbound';

/** Events pushed to dashboard clients on /api/v1/live. */
export const LiveEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('host.updated'),
    hostId: z.string(),
    hostname: z.string(),
    /** true when the host row was just created (first hello). */
    created: z.boolean(),
    lastSeenAt: z.string().nullable(),
    /** Paths of facts that changed, if any. */
    changed: z.array(z.string()),
    /** The host's score after this update (null when not evaluated). */
    score: z.number().nullable(),
    /** The score counting waived failures as passes, when this update recomputed it. */
    scoreWaived: z.number().nullable().optional(),
    at: z.string(),
  }),
  /** An agent's credential was revoked: every replica closes its connection at once. */
  z.object({ type: z.literal('agent.revoked'), hostId: z.string(), at: z.string() }),
  z.object({
    type: z.literal('drift'),
    hostId: z.string(),
    hostname: z.string(),
    kind: DriftKind,
    severity: z.string(),
    ruleId: z.string().nullable(),
    path: z.string().nullable(),
    direction: z.enum(['regression', 'improvement', 'change']),
    at: z.string(),
  }),
  z.object({
    type: z.literal('host.online'),
    hostId: z.string(),
    online: z.boolean(),
    at: z.string(),
  }),
]);
export type LiveEvent = z.infer<typeof LiveEvent>;
