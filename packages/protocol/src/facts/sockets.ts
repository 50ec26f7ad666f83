import { z } from 'zod';

/** One listening socket (TCP in LISTEN, or a bound UDP socket), joined to its owner where known. */
export const ListeningSocket = z.object({
  protocol: z.enum(['tcp', 'tcp6', 'udp', 'udp6']),
  address: z.string(),
  port: z.number().int().min(0).max(65535),
  inode: z.number().int().nonnegative(),
  uid: z.number().int().nonnegative().nullable(),
  pid: z.number().int().positive().nullable(),
  process: z.string().nullable(),
  executable: z.string().nullable(),
  unit: z.string().nullable(),
  package: z.string().nullable(),
});
export type ListeningSocket = z.infer<typeof ListeningSocket>;

export const ListeningSocketsFact = z.array(ListeningSocket);
