import { z } from 'zod';

export const InstalledPackage = z.object({
  name: z.string(),
  version: z.string(),
  arch: z.string().nullable(),
  /** The package manager's own state, e.g. dpkg `install ok installed` or `deinstall ok config-files`. */
  status: z.string(),
  /** True when the package's files are on the system (dpkg state `installed`). */
  installed: z.boolean(),
});
export type InstalledPackage = z.infer<typeof InstalledPackage>;

/** packages: the package inventory of the host. */
export const PackagesFact = z.object({
  manager: z.enum(['dpkg', 'rpm']).nullable(),
  /** False when the manager is known but its database could not be read (rpm under --root). */
  available: z.boolean(),
  /** Why the inventory is unavailable, or null. */
  reason: z.string().nullable(),
  packages: z.array(InstalledPackage),
});
export type PackagesFact = z.infer<typeof PackagesFact>;
