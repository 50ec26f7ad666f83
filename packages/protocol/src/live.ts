import { z } from 'zod';

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
