import runtimeEnv from '../../runtime-env.json' with { type: 'json' };
import { CACHE_DIR, CONFIG_PATH, ENV_FILE, STATE_DIR } from './paths';

export interface UnitOptions {
  /** The agent's command line up to (not including) `run`: the executable, or node and the script. */
  command: string[];
  configPath?: string;
  stateDir?: string;
  /** The host's systemd version: newer directives are only written where they are understood. */
  systemdVersion?: number | null;
}

/** The agent's memory settings (apps/agent/runtime-env.json), as the service's environment. */
export const RUNTIME_ENV: Readonly<Record<string, string>> = runtimeEnv;

/**
 * The same agent settles well below this; the cgroup limit also holds the short-lived
 * commands it runs (apt-get -s, dpkg-query, sshd -T), so it leaves them room. The agent's
 * own watchdog stops it earlier, so a restart is clean rather than an OOM kill.
 */
const MEMORY_HIGH = '160M';
const MEMORY_MAX = '256M';
const WATCHDOG_MB = 150;

/**
 * Capabilities the collectors need (apps/agent/packaging/README.md has the per-fact table):
 * - CAP_DAC_READ_SEARCH: read files that root does not own and that are not world-readable.
 * - CAP_SYS_PTRACE: readlink /proc/<pid>/exe and /proc/<pid>/fd/* of processes that are not
 *   the agent's (other users', and root's that hold more capabilities than the agent).
 * - CAP_NET_ADMIN: read the live firewall (`nft list ruleset`, `iptables-save`); without it
 *   the agent falls back to the saved rule files.
 */
export const CAPABILITIES = ['CAP_DAC_READ_SEARCH', 'CAP_SYS_PTRACE', 'CAP_NET_ADMIN'];

/** systemd's own quoting: a word with blanks or quotes is double-quoted; `%` and `$` are doubled. */
export function quoteArg(arg: string): string {
  const escaped = arg.replaceAll('%', '%%').replaceAll('$', '$$$$');
  return /^[A-Za-z0-9_@+=:,./-]+$/.test(escaped) ? escaped : `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function env(name: string, value: string): string {
  return `Environment=${quoteArg(`${name}=${value}`)}`;
}

export function renderUnit(o: UnitOptions): string {
  const configPath = o.configPath ?? CONFIG_PATH;
  const stateDir = o.stateDir ?? STATE_DIR;
  const v = o.systemdVersion ?? 0;
  const lines = [
    '# Written by `plumbline-agent install`, which rewrites it on every run: change the',
    '# config file, or add a drop-in with `systemctl edit plumbline-agent`.',
    '[Unit]',
    'Description=Plumbline agent: streams host compliance facts to the Plumbline server',
    'Wants=network-online.target',
    'After=network-online.target',
    // Keep retrying (with the backoff below) through a long server outage.
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'Type=exec',
    `ExecStart=${[...o.command, 'run', '--config', configPath].map(quoteArg).join(' ')}`,
    ...Object.entries(RUNTIME_ENV).map(([k, val]) => env(k, val)),
    env('PLUMBLINE_CACHE_DIR', CACHE_DIR),
    env('PLUMBLINE_AGENT_MAX_RSS_MB', String(WATCHDOG_MB)),
    `EnvironmentFile=-${ENV_FILE}`,
    'Restart=on-failure',
    'RestartSec=5s',
    // Exponential backoff from 5 s to 5 min (systemd 254+); older ones retry every 5 s.
    ...(v >= 254 ? ['RestartSteps=8', 'RestartMaxDelaySec=5min'] : []),
    'TimeoutStopSec=30s',
    '',
    '# Background work: never compete with what the host is for.',
    `MemoryHigh=${MEMORY_HIGH}`,
    `MemoryMax=${MEMORY_MAX}`,
    'TasksMax=64',
    'CPUWeight=20',
    'IOWeight=20',
    'Nice=10',
    'IOSchedulingClass=idle',
    '',
    '# Writes go only to the state and cache directories; everything else is read-only.',
    ...(stateDir === STATE_DIR ? ['StateDirectory=plumbline', 'StateDirectoryMode=0700'] : [`ReadWritePaths=${quoteArg(stateDir)}`]),
    'CacheDirectory=plumbline',
    'CacheDirectoryMode=0700',
    'UMask=0077',
    'ProtectSystem=strict',
    // The agent reads files under /home and /root (SSH and sudo settings); it never writes there.
    'ProtectHome=read-only',
    'PrivateTmp=yes',
    'PrivateMounts=yes',
    'PrivateDevices=yes',
    'NoNewPrivileges=yes',
    `CapabilityBoundingSet=${CAPABILITIES.join(' ')}`,
    'AmbientCapabilities=',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectKernelLogs=yes',
    'ProtectControlGroups=yes',
    'ProtectClock=yes',
    // No ProtectHostname=: its private UTS namespace would freeze the hostname the agent
    // reports at the value it had when the service started, hiding a rename (a drift event).
    'RestrictNamespaces=yes',
    'RestrictRealtime=yes',
    'RestrictSUIDSGID=yes',
    'LockPersonality=yes',
    // Possible only because the runtime runs without its JIT (--jitless in NODE_OPTIONS).
    'MemoryDenyWriteExecute=yes',
    'RemoveIPC=yes',
    'KeyringMode=private',
    // AF_NETLINK: interface addresses and the nftables ruleset are read over netlink.
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK',
    'SystemCallArchitectures=native',
    'SystemCallFilter=@system-service',
    'SystemCallFilter=~@privileged @resources',
    // A denied call fails with EPERM (the runtime falls back) instead of killing the agent.
    'SystemCallErrorNumber=EPERM',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ];
  return lines.join('\n');
}
