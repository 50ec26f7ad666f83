import { z } from 'zod';

/** One parameter of a `Defaults` line. */
export const SudoDefault = z.object({
  name: z.string(),
  /** true/false for a flag (`use_pty`, `!authenticate`; a negated setting like `!logfile` is false), the value otherwise. */
  value: z.union([z.boolean(), z.string()]),
  /** `=`, `+=`, `-=` for a value; null for a flag. */
  operator: z.enum(['=', '+=', '-=']).nullable(),
  /** global, or the scope of `Defaults:user`, `Defaults@host`, `Defaults>runas`, `Defaults!cmd`. */
  scope: z.enum(['global', 'user', 'host', 'runas', 'command']),
  /** The scope's list as written (items joined by `,`); null when global. */
  target: z.string().nullable(),
  file: z.string(),
  line: z.number().int().positive(),
});
export type SudoDefault = z.infer<typeof SudoDefault>;

export const SudoCommand = z.object({
  command: z.string(),
  tags: z.array(z.string()),
});

/** A user specification, split per host spec and Runas. */
export const SudoRule = z.object({
  who: z.array(z.string()),
  host: z.array(z.string()),
  runas: z.string().nullable(),
  commands: z.array(SudoCommand),
  file: z.string(),
  line: z.number().int().positive(),
});

export const SudoAlias = z.object({
  type: z.enum(['User_Alias', 'Runas_Alias', 'Host_Alias', 'Cmnd_Alias']),
  name: z.string(),
  members: z.array(z.string()),
  file: z.string(),
  line: z.number().int().positive(),
});

/** Commands of one rule that run without asking for a password. */
export const SudoUnauthenticated = z.object({
  who: z.array(z.string()),
  host: z.array(z.string()),
  runas: z.string().nullable(),
  commands: z.array(z.string()),
  /** NOPASSWD: a tag on the commands; !authenticate: a Defaults line that applies to them. */
  reason: z.enum(['NOPASSWD', '!authenticate']),
  file: z.string(),
  line: z.number().int().positive(),
});

/** sudo: the sudoers policy as sudo reads it. */
export const SudoFact = z.object({
  /** The sudo (or sudo-ldap) package is installed, or, without a dpkg database, /usr/bin/sudo exists. */
  installed: z.boolean(),
  /** dpkg version of sudo, or null. */
  version: z.string().nullable(),
  files: z.array(z.string()),
  defaults: z.array(SudoDefault),
  /** Global Defaults after the last line wins, with sudo's defaults where no line sets them. */
  effective: z.object({
    use_pty: z.boolean(),
    logfile: z.string().nullable(),
    timestamp_timeout: z.number().nullable(),
    log_input: z.boolean(),
    log_output: z.boolean(),
    authenticate: z.boolean(),
  }),
  rules: z.array(SudoRule),
  aliases: z.array(SudoAlias),
  nopasswd: z.array(SudoUnauthenticated.omit({ reason: true })),
  rules_without_authentication: z.array(SudoUnauthenticated),
  warnings: z.array(z.string()),
});
export type SudoFact = z.infer<typeof SudoFact>;
