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

/** services: systemd service, socket and timer units. */
export const ServicesFact = z.object({
  source: z.enum(['systemctl', 'files']),
  /** The unit default.target points at (`multi-user.target`, `graphical.target`), or null. */
  default_target: z.string().nullable(),
  units: z.array(ServiceUnit),
  warnings: z.array(z.string()),
});
export type ServicesFact = z.infer<typeof ServicesFact>;
