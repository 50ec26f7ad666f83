import { z } from 'zod';

/** What modprobe.d says about one module. */
export const ModprobeEntry = z.object({
  /** The command of the first `install` line for the module, or null. */
  install: z.string().nullable(),
  /** True when that command is /bin/false or /bin/true (or the /usr/bin ones): the module cannot be loaded by name. */
  disabled: z.boolean(),
  blacklisted: z.boolean(),
  /** File and line of the first directive about the module. */
  file: z.string(),
  line: z.number().int().positive(),
});

/** kernel_modules: loaded modules and modprobe.d policy, names normalised (`-` -> `_`). */
export const KernelModulesFact = z.object({
  /** Loaded module names, sorted; null when /proc/modules is absent (a --root tree without it). */
  loaded: z.array(z.string()).nullable(),
  modprobe: z.record(z.string(), ModprobeEntry),
  /** modprobe.d files applied, in order. */
  files: z.array(z.string()),
  masked_files: z.array(z.object({ file: z.string(), masked_by: z.string() })),
});
export type KernelModulesFact = z.infer<typeof KernelModulesFact>;
