import { z } from 'zod';

/** host: who this machine is. */
export const HostFact = z.object({
  hostname: z.string().min(1).max(255),
  machine_id: z.string().max(64).nullable(),
  os: z.object({
    id: z.string().nullable(),
    id_like: z.array(z.string()),
    name: z.string().nullable(),
    version_id: z.string().nullable(),
    version_codename: z.string().nullable(),
    pretty_name: z.string().nullable(),
  }),
  kernel: z.object({ release: z.string().nullable(), version: z.string().nullable() }),
  arch: z.string().nullable(),
  /** When the kernel booted (live only); the uptime is derived from it, so it does not change every cycle. */
  boot_time: z.iso.datetime().nullable(),
  virtualization: z.string().nullable(),
});
export type HostFact = z.infer<typeof HostFact>;
