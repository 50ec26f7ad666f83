import { z } from 'zod';

export const MountEntry = z.object({
  /** What is mounted: a device, `UUID=...`, `tmpfs`, a bind source. */
  device: z.string(),
  mount_point: z.string(),
  fstype: z.string(),
  options: z.array(z.string()),
  file: z.string(),
  line: z.number().int().positive(),
});
export type MountEntry = z.infer<typeof MountEntry>;

/** What rules ask about one path: is it its own mount, and with which options. */
export const MountPath = z.object({
  mounted: z.boolean(),
  /** Mounted as a file system of its own (not a bind mount of another directory). */
  separate_partition: z.boolean(),
  fstype: z.string().nullable(),
  options: z.array(z.string()),
  /** proc: /proc/mounts; fstab: /etc/fstab; tmp.mount: the systemd unit; default: systemd's built-in /dev/shm; null: nothing mounts it. */
  source: z.enum(['proc', 'fstab', 'tmp.mount', 'default']).nullable(),
  file: z.string().nullable(),
  line: z.number().int().positive().nullable(),
});

/** mounts: mounted file systems and the boot-time mount configuration. */
export const MountsFact = z.object({
  /** /proc/mounts in order; null under --root without a proc/mounts snapshot. */
  mounted: z.array(MountEntry).nullable(),
  fstab: z.array(MountEntry.extend({ dump: z.number().int(), pass: z.number().int() })),
  /** /tmp, /dev/shm, /var/tmp, /home, /var, /var/log, /var/log/audit. */
  paths: z.record(z.string(), MountPath),
  /** systemd's tmp.mount unit, or null when no unit file exists. */
  tmp_mount: z
    .object({ file: z.string(), enabled_state: z.string(), wanted_by_vendor: z.boolean(), options: z.array(z.string()) })
    .nullable(),
});
export type MountsFact = z.infer<typeof MountsFact>;
