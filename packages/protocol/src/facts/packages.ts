import { z } from 'zod';

export const InstalledPackage = z.object({
  name: z.string(),
  version: z.string(),
  arch: z.string().nullable(),
  /** The package manager's own state, e.g. dpkg `install ok installed` or `deinstall ok config-files`. */
  status: z.string(),
  /** True when the package's files are on the system (dpkg state `installed`). */
  installed: z.boolean(),
  /**
   * dpkg: the package names in its Depends and Pre-Depends fields (every alternative of `a | b`,
   * no versions or architectures), sorted; absent when none, and for rpm. What another installed package needs
   * must stay installed, so CIS's "not in use" then asks only that its services be off.
   */
  depends: z.array(z.string()).optional(),
  /** dpkg: the virtual package names in its Provides field, sorted; absent when none, and for rpm. */
  provides: z.array(z.string()).optional(),
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
