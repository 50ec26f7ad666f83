import { z } from 'zod';

const line = z.number().int().positive();

/** One line of a PAM service file. `@include` lines have type `@include` and the file as module. */
export const PamEntry = z.object({
  /** auth, account, password, session, or @include. */
  type: z.string(),
  /** required, requisite, sufficient, optional, include, substack, or `[value=action ...]` as written. */
  control: z.string(),
  /** Module as written (`pam_unix.so`, `/lib/security/pam_x.so`). */
  module: z.string(),
  args: z.array(z.string()),
  /** The line started with `-`: a missing module is silently skipped. */
  optional: z.boolean(),
  file: z.string(),
  line,
});
export type PamEntry = z.infer<typeof PamEntry>;

/** pam: the PAM stacks that password and login rules look at. */
export const PamFact = z.object({
  files: z.array(z.string()),
  entries: z.array(PamEntry),
});
export type PamFact = z.infer<typeof PamFact>;

/** One effective option and where it was set (a config file or a module argument on a PAM line). */
export const PolicySetting = z.object({ value: z.string(), file: z.string(), line });
const settings = z.record(z.string(), PolicySetting);

/** password_policy: what PAM and its module configuration files enforce. */
export const PasswordPolicyFact = z.object({
  pwquality: z.object({
    /** pam_pwquality (or pam_cracklib) is on a password line. */
    enabled: z.boolean(),
    /** pwquality.conf.d/*.conf in byte order, then pwquality.conf (as libpwquality reads them), then module arguments; the last wins. */
    settings,
  }),
  faillock: z.object({
    enabled: z.boolean(),
    deny: PolicySetting.nullable(),
    unlock_time: PolicySetting.nullable(),
    settings,
  }),
  pwhistory: z.object({
    enabled: z.boolean(),
    remember: PolicySetting.nullable(),
    settings,
  }),
  unix: z.object({
    /** The hashing option on the pam_unix password line (yescrypt, sha512...), or null. */
    hashing: PolicySetting.nullable(),
    /** pam_unix's own `remember=`, or null. */
    remember: PolicySetting.nullable(),
    /** Every pam_unix line that accepts an empty password (`nullok`). */
    nullok: z.array(z.object({ file: z.string(), line })),
  }),
  su_wheel: z.object({
    /** /etc/pam.d/su has an auth line with pam_wheel: only members of the group may su. */
    enabled: z.boolean(),
    /** `group=` argument, or null (pam_wheel then uses gid 0 / wheel). */
    group: z.string().nullable(),
    file: z.string().nullable(),
    line: line.nullable(),
  }),
});
export type PasswordPolicyFact = z.infer<typeof PasswordPolicyFact>;
