import { z } from 'zod';

/** One effective sshd setting: its value as sshd reads it, and where it was set. */
export const SshdSetting = z.object({
  /** The keyword as written in the file (sshd itself is case-insensitive). */
  keyword: z.string(),
  /** The arguments joined by one space, as `sshd -T` prints them. */
  value: z.string(),
  args: z.array(z.string()),
  /**
   * Only for keywords where every line adds to the list instead of the first one winning
   * (Port, ListenAddress, HostKey, HostCertificate, AcceptEnv, Subsystem, Allow/Deny
   * Users/Groups): each line's value in order. `value`, `file` and `line` are the first.
   */
  values: z.array(z.string()).optional(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
});
export type SshdSetting = z.infer<typeof SshdSetting>;

/** A `Match` block: settings that apply only to connections matching `criteria`. */
export const SshdMatchBlock = z.object({
  /** The Match arguments as written, joined by one space, e.g. `User deploy`. */
  criteria: z.string(),
  file: z.string(),
  line: z.number().int().positive(),
  settings: z.record(z.string(), SshdSetting),
});
export type SshdMatchBlock = z.infer<typeof SshdMatchBlock>;

/**
 * sshd_config: the effective server configuration. `settings` is keyed by the lower-case
 * keyword; the first value wins, as in OpenSSH. Match blocks are kept apart and never
 * change the global values.
 */
export const SshdConfigFact = z.object({
  source: z.enum(['files', 'sshd -T']),
  main_file: z.string(),
  files: z.array(z.string()),
  settings: z.record(z.string(), SshdSetting),
  match_blocks: z.array(SshdMatchBlock),
  warnings: z.array(z.string()),
});
export type SshdConfigFact = z.infer<typeof SshdConfigFact>;
