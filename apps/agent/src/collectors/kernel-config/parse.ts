import type { KernelConfigFact } from '@plumbline/protocol/facts';
import { naturalCompare } from '../lib/order';

/** Build options hardening benchmarks (CIS, KSPP, ANSSI) look at. */
export const KERNEL_OPTIONS = [
  'CONFIG_SYN_COOKIES',
  'CONFIG_NETFILTER',
  'CONFIG_NF_TABLES',
  'CONFIG_IP_NF_IPTABLES',
  'CONFIG_IP6_NF_IPTABLES',
  'CONFIG_SECURITY',
  'CONFIG_SECURITY_APPARMOR',
  'CONFIG_SECURITY_SELINUX',
  'CONFIG_SECURITY_YAMA',
  'CONFIG_SECURITY_LOCKDOWN_LSM',
  'CONFIG_LSM',
  'CONFIG_AUDIT',
  'CONFIG_AUDITSYSCALL',
  'CONFIG_STRICT_DEVMEM',
  'CONFIG_IO_STRICT_DEVMEM',
  'CONFIG_DEVMEM',
  'CONFIG_RANDOMIZE_BASE',
  'CONFIG_RANDOMIZE_MEMORY',
  'CONFIG_STACKPROTECTOR',
  'CONFIG_STACKPROTECTOR_STRONG',
  'CONFIG_MODULES',
  'CONFIG_MODULE_SIG',
  'CONFIG_MODULE_SIG_FORCE',
  'CONFIG_MODULE_SIG_ALL',
  'CONFIG_HARDENED_USERCOPY',
  'CONFIG_FORTIFY_SOURCE',
  'CONFIG_STRICT_KERNEL_RWX',
  'CONFIG_STRICT_MODULE_RWX',
  'CONFIG_PAGE_TABLE_ISOLATION',
  'CONFIG_INIT_ON_ALLOC_DEFAULT_ON',
  'CONFIG_INIT_ON_FREE_DEFAULT_ON',
  'CONFIG_SLAB_FREELIST_RANDOM',
  'CONFIG_SLAB_FREELIST_HARDENED',
  'CONFIG_KEXEC',
  'CONFIG_HIBERNATION',
  'CONFIG_PROC_KCORE',
  'CONFIG_LEGACY_VSYSCALL_NONE',
  'CONFIG_BPF_JIT_ALWAYS_ON',
  'CONFIG_BPF_UNPRIV_DEFAULT_OFF',
  'CONFIG_IPV6',
  'CONFIG_USB_STORAGE',
  'CONFIG_CRAMFS',
  'CONFIG_SQUASHFS',
  'CONFIG_UDF_FS',
  'CONFIG_FIREWIRE',
  'CONFIG_IP_DCCP',
  'CONFIG_IP_SCTP',
  'CONFIG_RDS',
  'CONFIG_TIPC',
].sort();

/** Kconfig output: `CONFIG_X=y|m|value` and `# CONFIG_X is not set`. */
export function parseKernelConfig(text: string, wanted: string[] = KERNEL_OPTIONS): KernelConfigFact['options'] {
  const all = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    const set = /^(CONFIG_\w+)=(.*)$/.exec(l);
    if (set) all.set(set[1] as string, (set[2] as string).replace(/^"(.*)"$/, '$1'));
    const unset = /^# (CONFIG_\w+) is not set$/.exec(l);
    if (unset) all.set(unset[1] as string, 'n');
  }
  return Object.fromEntries(wanted.map((k) => [k, all.get(k) ?? null]));
}

/** The newest `config-<release>` by version order (`5.15.0-119` after `5.15.0-97`). */
export function newestConfig(names: string[]): string | null {
  const configs = names.filter((n) => n.startsWith('config-')).sort((a, b) => naturalCompare(a, b));
  return configs.at(-1) ?? null;
}
