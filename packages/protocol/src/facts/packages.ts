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
  /**
   * The source package it was built from (dpkg `Source:`, rpm `SOURCERPM`); the package's own
   * name when the manager names none. Advisories are published per source package.
   * Absent only from agents that predate it.
   */
  source: z.string().optional(),
  /** The source package's version (dpkg `Source: name (version)`, else the package's version). */
  source_version: z.string().optional(),
});
export type InstalledPackage = z.infer<typeof InstalledPackage>;

/** The installed package that holds the running kernel. */
export const RunningKernel = z.object({
  /** `uname -r`, from /proc/sys/kernel/osrelease. */
  release: z.string(),
  /** The package holding that kernel (`linux-image-<release>`, rpm `kernel-core`), null when none matches. */
  package: z.string().nullable(),
  version: z.string().nullable(),
  source: z.string().nullable(),
});
export type RunningKernel = z.infer<typeof RunningKernel>;

/** packages: the package inventory of the host. */
export const PackagesFact = z.object({
  manager: z.enum(['dpkg', 'rpm']).nullable(),
  /** False when the manager is known but its database could not be read (rpm under --root). */
  available: z.boolean(),
  /** Why the inventory is unavailable, or null. */
  reason: z.string().nullable(),
  packages: z.array(InstalledPackage),
  /** The running kernel's package; null when the running kernel is unknown (a tree without proc/sys/kernel). */
  running_kernel: RunningKernel.nullable().optional(),
});
export type PackagesFact = z.infer<typeof PackagesFact>;
