import { z } from 'zod';

const line = z.number().int().positive();
const FileSetting = z.object({ value: z.string(), file: z.string(), line });

/** kernel_config: build options of the kernel from /boot/config-<release> (or /proc/config.gz). */
export const KernelConfigFact = z.object({
  file: z.string(),
  release: z.string().nullable(),
  /** Selected options: `y`, `m`, `n` (`# CONFIG_X is not set`), a value (quotes removed), or null when the option does not exist in this kernel. */
  options: z.record(z.string(), z.string().nullable()),
});
export type KernelConfigFact = z.infer<typeof KernelConfigFact>;

/** openssl: the OpenSSL library in use. */
export const OpenSslFact = z.object({
  /** Upstream version, e.g. `3.0.13`; null when nothing could tell. */
  version: z.string().nullable(),
  source: z.enum(['openssl version', 'package']).nullable(),
  /** The library package and its full version, when the package database says. */
  package: z.object({ name: z.string(), version: z.string() }).nullable(),
  reason: z.string().nullable(),
});
export type OpenSslFact = z.infer<typeof OpenSslFact>;

export const PendingUpdate = z.object({
  name: z.string(),
  current_version: z.string().nullable(),
  new_version: z.string(),
  /** apt: the origins as apt prints them (`Debian-Security:12/stable-security`); dnf: the repository. */
  origin: z.string(),
  security: z.boolean(),
});

/** updates: pending package updates (live only). */
export const UpdatesFact = z.object({
  available: z.boolean(),
  /** Why nothing could be listed (under --root, no package manager, command failed), or null. */
  reason: z.string().nullable(),
  source: z.string().nullable(),
  pending: z.array(PendingUpdate),
  pending_count: z.number().int().nonnegative().nullable(),
  security_count: z.number().int().nonnegative().nullable(),
});
export type UpdatesFact = z.infer<typeof UpdatesFact>;

/** automatic_updates: unattended-upgrades (apt) and dnf-automatic configuration. */
export const AutomaticUpdatesFact = z.object({
  unattended_upgrades: z.object({
    installed: z.boolean(),
    /** Installed, and APT::Periodic::Unattended-Upgrade is set to a non-zero interval. */
    enabled: z.boolean(),
    unattended_upgrade: FileSetting.nullable(),
    update_package_lists: FileSetting.nullable(),
    /** apt-daily-upgrade.timer is enabled (it runs unattended-upgrade). */
    timer_enabled: z.boolean(),
    files: z.array(z.string()),
  }),
  dnf_automatic: z.object({
    installed: z.boolean(),
    /** Installed, and either apply_updates = yes with dnf-automatic.timer enabled, or dnf-automatic-install.timer enabled. */
    enabled: z.boolean(),
    apply_updates: FileSetting.nullable(),
    upgrade_type: FileSetting.nullable(),
    timer_enabled: z.boolean(),
    install_timer_enabled: z.boolean(),
  }),
});
export type AutomaticUpdatesFact = z.infer<typeof AutomaticUpdatesFact>;

export const NetworkInterface = z.object({
  name: z.string(),
  /** /sys/class/net/<if>/operstate: up, down, dormant, unknown, lowerlayerdown... */
  operstate: z.string().nullable(),
  /** ARP hardware type: ether, loopback, none (tun), sit, can..., or the number. */
  type: z.string().nullable(),
  wireless: z.boolean(),
  /** No backing device (/sys/devices/virtual): bridges, veth, tun, dummy, lo. */
  virtual: z.boolean(),
});

/** network_interfaces: the host's network interfaces (live only). */
export const NetworkInterfacesFact = z.object({
  interfaces: z.array(NetworkInterface).nullable(),
  reason: z.string().nullable(),
});
export type NetworkInterfacesFact = z.infer<typeof NetworkInterfacesFact>;
