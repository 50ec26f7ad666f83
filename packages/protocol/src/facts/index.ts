import { z } from 'zod';
import { FactError } from './common';
import { HostFact } from './host';
import { ListeningSocketsFact } from './sockets';
import { SshdConfigFact } from './sshd';
import { SysctlFact } from './sysctl';
import { PackagesFact } from './packages';
import { KernelModulesFact } from './kernel-modules';
import { GroupsFact, LoginDefsFact, UsersFact } from './accounts';
import { FilesFact } from './files';
import { SudoFact } from './sudo';
import { ServicesFact } from './services';
import { FirewallFact } from './firewall';
import { MacFact } from './mac';
import { MountsFact } from './mounts';
import { PamFact, PasswordPolicyFact } from './pam';
import { AuditFact, LoggingFact, TimeSyncFact } from './logging';
import { AutomaticUpdatesFact, KernelConfigFact, NetworkInterfacesFact, OpenSslFact, UpdatesFact } from './system';
import { HomeDirectoriesFact } from './homes';

export { FactError, SourceRef } from './common';
export { HostFact } from './host';
export { SshdConfigFact, SshdSetting, SshdMatchBlock } from './sshd';
export { ListeningSocket, ListeningSocketsFact } from './sockets';
export { SysctlFact, SysctlRuntimeValue, SysctlPersistedValue, SysctlAssignment } from './sysctl';
export { PackagesFact, InstalledPackage, RunningKernel } from './packages';
export { KernelModulesFact, ModprobeEntry } from './kernel-modules';
export { UsersFact, UserAccount, GroupsFact, GroupEntry, LoginDefsFact } from './accounts';
export { FilesFact, FileMetadata } from './files';
export { SudoFact, SudoDefault, SudoRule, SudoAlias, SudoCommand, SudoUnauthenticated } from './sudo';
export { InetdService, ServicesFact, ServiceUnit } from './services';
export { FirewallFact, UfwRule, NftTable, NftChain, IptablesFamily } from './firewall';
export { MacFact, KernelCmdline } from './mac';
export { MountsFact, MountEntry, MountPath } from './mounts';
export { PamFact, PamEntry, PasswordPolicyFact, PolicySetting } from './pam';
export { LoggingFact, AuditFact, TimeSyncFact, TimeDaemon, FileSetting } from './logging';
export { HomeDirectoriesFact, HomeDirectory, DotFile } from './homes';
export {
  KernelConfigFact,
  OpenSslFact,
  UpdatesFact,
  PendingUpdate,
  AutomaticUpdatesFact,
  NetworkInterfacesFact,
  NetworkInterface,
} from './system';

/**
 * Every fact the agent may report, by its stable snake_case name. Facts are a public
 * contract: rules and users' own checks address them by name and field (docs/facts.md).
 */
export const factSchemas = {
  host: HostFact,
  sshd_config: SshdConfigFact,
  listening_sockets: ListeningSocketsFact,
  sysctl: SysctlFact,
  packages: PackagesFact,
  kernel_modules: KernelModulesFact,
  users: UsersFact,
  groups: GroupsFact,
  login_defs: LoginDefsFact,
  files: FilesFact,
  sudo: SudoFact,
  services: ServicesFact,
  firewall: FirewallFact,
  mac: MacFact,
  mounts: MountsFact,
  pam: PamFact,
  password_policy: PasswordPolicyFact,
  logging: LoggingFact,
  audit: AuditFact,
  time_sync: TimeSyncFact,
  kernel_config: KernelConfigFact,
  openssl: OpenSslFact,
  updates: UpdatesFact,
  automatic_updates: AutomaticUpdatesFact,
  network_interfaces: NetworkInterfacesFact,
  home_directories: HomeDirectoriesFact,
} as const;

export type FactName = keyof typeof factSchemas;
export const FACT_NAMES = Object.keys(factSchemas) as FactName[];

export const Facts = z.object(
  Object.fromEntries(FACT_NAMES.map((n) => [n, factSchemas[n].optional()])) as {
    [K in FactName]: z.ZodOptional<(typeof factSchemas)[K]>;
  },
);
export type Facts = z.infer<typeof Facts>;

/** Facts a collector could not read, by fact name. A fact is either in `facts` or here. */
export const FactErrors = z.record(z.string(), FactError);
export type FactErrors = z.infer<typeof FactErrors>;

/** What one collection cycle produced. */
export const FactSet = z.object({
  facts: Facts,
  errors: FactErrors,
});
export type FactSet = z.infer<typeof FactSet>;
