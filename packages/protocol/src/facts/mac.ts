import { z } from 'zod';

const counts = z.record(z.string(), z.number().int().nonnegative());

/** The kernel command line: the running one live, else the one GRUB is configured to pass. */
export const KernelCmdline = z.object({
  /** `/proc/cmdline`, or `/etc/default/grub` (with `/etc/default/grub.d/*.cfg`); null when neither exists. */
  source: z.string().nullable(),
  /** Files read, in order (several for GRUB). */
  files: z.array(z.string()),
  /** Arguments in order, as written (`apparmor=1`, `audit_backlog_limit=8192`, `quiet`). */
  args: z.array(z.string()),
});
export type KernelCmdline = z.infer<typeof KernelCmdline>;

/** mac: mandatory access control (AppArmor, SELinux). */
export const MacFact = z.object({
  apparmor: z.object({
    /** The apparmor package (dpkg), or /sbin/apparmor_parser without a dpkg database. */
    installed: z.boolean(),
    /** Live: /sys/module/apparmor/parameters/enabled is Y; null under --root. */
    enabled: z.boolean().nullable(),
    /** Live: loaded profiles counted by mode (enforce, complain, kill, unconfined...); null under --root or when unreadable. */
    loaded_profiles: counts.nullable(),
    /** Profile files in /etc/apparmor.d counted by the mode they load in (enforce, complain, unconfined, disabled). */
    profile_files: counts,
    /** The `apparmor=` kernel argument, or null when absent. */
    kernel_param: z.string().nullable(),
  }),
  selinux: z.object({
    /** /etc/selinux/config, or null when it does not exist. */
    config_file: z.string().nullable(),
    /** `SELINUX=` (enforcing, permissive, disabled) with its line. */
    mode: z.string().nullable(),
    mode_line: z.number().int().positive().nullable(),
    /** `SELINUXTYPE=` (targeted, mls...). */
    policy_type: z.string().nullable(),
    policy_type_line: z.number().int().positive().nullable(),
    /** Live: from /sys/fs/selinux/enforce (disabled when selinuxfs is absent); null under --root. */
    runtime_mode: z.enum(['enforcing', 'permissive', 'disabled']).nullable(),
    /** The `selinux=` and `enforcing=` kernel arguments, or null. */
    kernel_param: z.string().nullable(),
    enforcing_param: z.string().nullable(),
  }),
  kernel_cmdline: KernelCmdline,
});
export type MacFact = z.infer<typeof MacFact>;
