import { z } from 'zod';

const line = z.number().int().positive();
/** A setting and the file and line that set it. */
export const FileSetting = z.object({ value: z.string(), file: z.string(), line });
const settings = z.record(z.string(), FileSetting);
const where = { file: z.string(), line };

/** logging: journald and rsyslog configuration. */
export const LoggingFact = z.object({
  journald: z.object({
    /** journald.conf and its drop-ins, in the order applied. */
    files: z.array(z.string()),
    /** [Journal] settings; the last assignment wins. Unset keys keep journald's defaults (Storage=auto, Compress=yes, ForwardToSyslog=no). */
    settings,
    storage: z.string().nullable(),
    compress: z.string().nullable(),
    forward_to_syslog: z.string().nullable(),
  }),
  rsyslog: z.object({
    installed: z.boolean(),
    service_enabled: z.boolean(),
    files: z.array(z.string()),
    /** The last `$FileCreateMode`, or null (rsyslog's default 0644 applies). */
    file_create_mode: FileSetting.nullable(),
    /** Where logs are forwarded: legacy `@host` (udp), `@@host` (tcp), `:omrelp:host`, or `action(type="omfwd")`. */
    remote_targets: z.array(z.object({ target: z.string(), protocol: z.enum(['udp', 'tcp', 'relp']), ...where })),
    /** Inputs that accept logs from the network (imtcp, imudp, imrelp). */
    remote_inputs: z.array(z.object({ module: z.string(), ...where })),
  }),
});
export type LoggingFact = z.infer<typeof LoggingFact>;

/** audit: the Linux audit daemon, its configuration and its rules. */
export const AuditFact = z.object({
  installed: z.boolean(),
  service_enabled: z.boolean(),
  /** /etc/audit/auditd.conf, or null when absent. */
  config_file: z.string().nullable(),
  settings,
  max_log_file: z.number().nullable(),
  max_log_file_action: z.string().nullable(),
  space_left_action: z.string().nullable(),
  admin_space_left_action: z.string().nullable(),
  /** rules.d: /etc/audit/rules.d/*.rules (what augenrules loads); audit.rules: /etc/audit/audit.rules only. */
  rules_source: z.enum(['rules.d', 'audit.rules']).nullable(),
  rule_files: z.array(z.string()),
  /** Every rule and control line (`-w`, `-a`, `-b`, `-e`...), whitespace collapsed, in load order. */
  rules: z.array(z.object({ rule: z.string(), ...where })),
  /** The last `-e` is 2: rules cannot change until reboot. */
  immutable: z.boolean(),
  /** The last `-b` in the rules, or null. */
  backlog_limit: z.number().nullable(),
  /** `audit=` and `audit_backlog_limit=` on the kernel command line (see mac.kernel_cmdline), or null. */
  kernel_audit: z.string().nullable(),
  kernel_backlog_limit: z.string().nullable(),
});
export type AuditFact = z.infer<typeof AuditFact>;

export const TimeDaemon = z.object({
  name: z.enum(['chrony', 'systemd-timesyncd', 'ntp', 'ntpsec']),
  installed: z.boolean(),
  /** The unit that runs it and its enabled state (null when no unit file exists). */
  unit: z.string().nullable(),
  enabled_state: z.string().nullable(),
  files: z.array(z.string()),
  servers: z.array(
    z.object({
      /** server, pool, peer (chrony, ntp); NTP or FallbackNTP (timesyncd). */
      kind: z.string(),
      host: z.string(),
      options: z.array(z.string()),
      ...where,
    }),
  ),
});

/** time_sync: which time synchronisation daemons are present and where they get time from. */
export const TimeSyncFact = z.object({
  daemons: z.array(TimeDaemon),
  /** Names of installed daemons whose unit is enabled. More than one means they compete. */
  enabled: z.array(z.string()),
});
export type TimeSyncFact = z.infer<typeof TimeSyncFact>;
