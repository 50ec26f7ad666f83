import { z } from 'zod';

const days = z.number().int().nullable();

/**
 * One account from /etc/passwd with its /etc/shadow state. The password hash never leaves
 * the host: only whether a usable one is set.
 */
export const UserAccount = z.object({
  name: z.string(),
  uid: z.number().int().nonnegative(),
  gid: z.number().int().nonnegative(),
  home: z.string(),
  shell: z.string(),
  /** set: a hash; empty: no password needed; locked: `!` prefix; no_login: `*` or another non-hash; unknown: no shadow entry readable. */
  password_state: z.enum(['set', 'empty', 'locked', 'no_login', 'unknown']),
  /** Shadow ageing fields (days); null when empty or unknown. */
  last_change_days: days,
  min_days: days,
  max_days: days,
  warn_days: days,
  inactive_days: days,
  expire_days: days,
});
export type UserAccount = z.infer<typeof UserAccount>;

/** users: local accounts and who is privileged. */
export const UsersFact = z.object({
  accounts: z.array(UserAccount),
  /** uid-0 accounts and members (primary or listed) of sudo, wheel or admin. */
  privileged: z.array(z.object({ name: z.string(), reasons: z.array(z.string()) })),
  /** Whether /etc/shadow could be read; when not, every password_state is unknown. */
  shadow: z.enum(['read', 'missing', 'unreadable']),
});
export type UsersFact = z.infer<typeof UsersFact>;

export const GroupEntry = z.object({
  name: z.string(),
  gid: z.number().int().nonnegative(),
  /** Members listed in /etc/group (not users whose primary group it is), sorted. */
  members: z.array(z.string()),
});

/** groups: /etc/group. */
export const GroupsFact = z.array(GroupEntry);
export type GroupsFact = z.infer<typeof GroupsFact>;

/** login_defs: /etc/login.defs, every setting plus the ones rules use most, typed. */
export const LoginDefsFact = z.object({
  file: z.string(),
  /** Every setting by its name as written (login.defs is case-sensitive); the last line wins. */
  settings: z.record(z.string(), z.object({ value: z.string(), line: z.number().int().positive() })),
  pass_max_days: z.number().int().nullable(),
  pass_min_days: z.number().int().nullable(),
  pass_warn_age: z.number().int().nullable(),
  /** Octal string as written, e.g. `027`. */
  umask: z.string().nullable(),
  encrypt_method: z.string().nullable(),
});
export type LoginDefsFact = z.infer<typeof LoginDefsFact>;
