import { z } from 'zod';

export const ServiceUnit = z.object({
  /** Unit name, e.g. `ssh.service`, `getty@.service`, `apt-daily.timer`. */
  unit: z.string(),
  /** As `systemctl list-unit-files` says: enabled, disabled, static, masked, indirect, alias, linked, generated...; null when only the running manager knows the unit. */
  enabled_state: z.string().nullable(),
  /** active, inactive, failed...; null under --root or when systemd has not loaded the unit. */
  active_state: z.string().nullable(),
  /** running, exited, dead, listening, waiting...; null like active_state. */
  sub_state: z.string().nullable(),
  /** The unit file that wins on the unit search path; null when none was found. */
  file: z.string().nullable(),
});
export type ServiceUnit = z.infer<typeof ServiceUnit>;

/** A service of the classic Internet super-servers: an `/etc/inetd.conf` line or an xinetd `service` block. */
export const InetdService = z.object({
  daemon: z.enum(['inetd', 'xinetd']),
  /** The service name (`telnet`, `tftp`, `ftp`...). */
  service: z.string(),
  /** The server program it runs, or null when the entry names none. */
  server: z.string().nullable(),
  /** inetd: the line is not commented out; xinetd: the block does not say `disable = yes`. */
  enabled: z.boolean(),
  file: z.string(),
  line: z.number().int().positive(),
});
export type InetdService = z.infer<typeof InetdService>;

/** services: systemd service, socket and timer units. */
export const ServicesFact = z.object({
  source: z.enum(['systemctl', 'files']),
  /** The unit default.target points at (`multi-user.target`, `graphical.target`), or null. */
  default_target: z.string().nullable(),
  /**
   * Units as systemd sees them, including those systemd-sysv-generator makes at boot from
   * `/etc/init.d` scripts without a native unit (`enabled_state` `generated`, `file` the script).
   */
  units: z.array(ServiceUnit),
  /** Entries of /etc/inetd.conf (commented-out ones included, as disabled) and of xinetd's configuration. */
  inetd: z.array(InetdService),
  warnings: z.array(z.string()),
});
export type ServicesFact = z.infer<typeof ServicesFact>;
