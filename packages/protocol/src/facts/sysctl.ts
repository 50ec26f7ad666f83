import { z } from 'zod';

/** A kernel parameter as the running kernel has it now. */
export const SysctlRuntimeValue = z.object({
  /** The value as read, with runs of whitespace collapsed to one space (as `sysctl -n` shows tabs). */
  value: z.string(),
  /** The /proc/sys file it was read from. */
  source: z.string(),
});

/** One assignment of a key in a sysctl configuration file. */
export const SysctlAssignment = z.object({
  file: z.string(),
  line: z.number().int().positive(),
  value: z.string(),
});

/** The value a key gets at boot, and the earlier assignments it overrides. */
export const SysctlPersistedValue = z.object({
  value: z.string(),
  file: z.string(),
  line: z.number().int().positive(),
  /** Assignments applied earlier and overridden by this one, in the order they were applied. */
  overridden: z.array(SysctlAssignment),
});

/**
 * sysctl: runtime values (/proc/sys) and persisted values computed as systemd-sysctl
 * applies them. Keys are in dot form (`net.ipv4.ip_forward`); keys with globs are kept
 * as written.
 */
export const SysctlFact = z.object({
  /** Keyed by parameter; null when there is no /proc/sys to read (a --root tree without one). */
  runtime: z.record(z.string(), SysctlRuntimeValue).nullable(),
  persisted: z.record(z.string(), SysctlPersistedValue),
  /** Configuration files applied, in application order. */
  files: z.array(z.string()),
  /** Files never applied because a file with the same name in an earlier directory masks them. */
  masked_files: z.array(z.object({ file: z.string(), masked_by: z.string() })),
  warnings: z.array(z.string()),
});
export type SysctlFact = z.infer<typeof SysctlFact>;
