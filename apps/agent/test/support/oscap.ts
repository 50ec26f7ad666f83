import { execFile } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Rule } from '@plumbline/benchmarks/schema';

/**
 * Running OpenSCAP (SSG Ubuntu 22.04 content from ssg-debderived, the richest Debian-family content)
 * over the same rules as ours, on a host tree or on this machine: shared by the cross-check test
 * and the scan benchmark, so both judge the same selection.
 *
 * How OpenSCAP is made to read a tree offline (each step was found necessary on OpenSCAP 1.3.7):
 * - `oscap-chroot DIR` only sets OSCAP_PROBE_ROOT=DIR (openscap-utils); we set it and call `oscap`.
 * - The datastream's platform is Ubuntu 22.04 (a CPE checked through /etc/lsb-release, which no
 *   fixture has), so a copy without it is used; per-rule platforms still apply, except `#pam` and
 *   `#login_defs`, which test for the packages libpam-runtime and login: both Priority required, on
 *   every Debian and Ubuntu system, but absent from the fixtures' trimmed /var/lib/dpkg/status.
 * - The dpkginfo probe (libapt) answers "dpkginfo_init has failed" and then reports every package
 *   absent unless it can build its cache: it needs the tree's /usr/share/dpkg/cputable (shipped by
 *   dpkg; copied from the scanning host when the fixture lacks it), must not read the scanning host's
 *   apt.conf.d (Docker images set `Dir::Cache::pkgcache ""` there), and must be told the tree's
 *   architecture (an arm64 tree scanned on amd64 shows no packages otherwise). APT_CONFIG does both.
 * - Values come from the SSG CIS Level 2 Server profile through a tailoring, plus the set-values below.
 */

export const SSG_CONTENT = process.env.PLUMBLINE_SSG_CONTENT ?? '/usr/share/xml/scap/ssg/content';
export const DATASTREAM = path.join(SSG_CONTENT, 'ssg-ubuntu2204-ds.xml');
export const RULE_PREFIX = 'xccdf_org.ssgproject.content_rule_';
const BASE_PROFILE = 'xccdf_org.ssgproject.content_profile_cis_level2_server';
const PROFILE = 'xccdf_io.plumbline_profile_crosscheck';

/** Platform references removed from the datastream copy (see above). */
const DROPPED_PLATFORMS = ['cpe:/o:canonical:ubuntu_linux:22.04::~~lts~~~', '#pam', '#login_defs'];

/** XCCDF values the SSG CIS profile leaves at a default CIS does not use. */
export const SET_VALUES: Record<string, string> = {
  // SSG 0.1.65's CIS profiles keep the default `rotate`; CIS (and plb-audit-keep-logs) want keep_logs.
  var_auditd_max_log_file_action: 'keep_logs',
};

/**
 * SSG rules we reference whose OVAL reads the running system, not the tree, under OSCAP_PROBE_ROOT:
 * their verdicts say nothing about a fixture, so they are never compared.
 */
const RUNS_ON_SCANNER: Record<string, { why: string; ids: string[] }> = {
  sysctl: {
    why: 'the sysctl probe has no offline mode ("not supported by sysctl probe") and reads the scanning kernel',
    ids: [
      'sysctl_fs_protected_hardlinks',
      'sysctl_fs_protected_symlinks',
      'sysctl_fs_suid_dumpable',
      'sysctl_kernel_kptr_restrict',
      'sysctl_kernel_randomize_va_space',
      'sysctl_kernel_dmesg_restrict',
      'sysctl_kernel_perf_event_paranoid',
      'sysctl_kernel_unprivileged_bpf_disabled',
      'sysctl_kernel_yama_ptrace_scope',
      'sysctl_net_ipv4_conf_all_accept_redirects',
      'sysctl_net_ipv4_conf_all_accept_source_route',
      'sysctl_net_ipv4_conf_all_log_martians',
      'sysctl_net_ipv4_conf_all_rp_filter',
      'sysctl_net_ipv4_conf_all_secure_redirects',
      'sysctl_net_ipv4_conf_all_send_redirects',
      'sysctl_net_ipv4_conf_default_accept_redirects',
      'sysctl_net_ipv4_conf_default_accept_source_route',
      'sysctl_net_ipv4_conf_default_log_martians',
      'sysctl_net_ipv4_conf_default_rp_filter',
      'sysctl_net_ipv4_conf_default_secure_redirects',
      'sysctl_net_ipv4_conf_default_send_redirects',
      'sysctl_net_ipv4_icmp_echo_ignore_broadcasts',
      'sysctl_net_ipv4_icmp_ignore_bogus_error_responses',
      'sysctl_net_ipv4_ip_forward',
      'sysctl_net_ipv4_tcp_syncookies',
      'sysctl_net_ipv6_conf_all_accept_ra',
      'sysctl_net_ipv6_conf_all_accept_redirects',
      'sysctl_net_ipv6_conf_all_accept_source_route',
      'sysctl_net_ipv6_conf_all_forwarding',
      'sysctl_net_ipv6_conf_default_accept_ra',
      'sysctl_net_ipv6_conf_default_accept_redirects',
      'sysctl_net_ipv6_conf_default_accept_source_route',
    ],
  },
  mounts: {
    why: 'the partition probe lists the mount table and statvfs()es each mount point; a tree has no file systems mounted behind them',
    ids: [
      'partition_for_home',
      'partition_for_tmp',
      'partition_for_var',
      'partition_for_var_log',
      'partition_for_var_log_audit',
      'partition_for_var_tmp',
      'mount_option_dev_shm_nodev',
      'mount_option_dev_shm_noexec',
      'mount_option_dev_shm_nosuid',
      'mount_option_home_nodev',
      'mount_option_home_nosuid',
      'mount_option_tmp_nodev',
      'mount_option_tmp_noexec',
      'mount_option_tmp_nosuid',
      'mount_option_var_tmp_nodev',
      'mount_option_var_tmp_noexec',
      'mount_option_var_tmp_nosuid',
    ],
  },
  systemd: {
    why: 'the systemdunitproperty/systemdunitdependency probes ask the running systemd over D-Bus',
    ids: [
      'service_apport_disabled',
      'service_auditd_enabled',
      'service_autofs_disabled',
      'service_avahi-daemon_disabled',
      'service_chronyd_or_ntpd_enabled',
      'service_cron_enabled',
      'service_cups_disabled',
      'service_ntp_enabled',
      'service_rsyslog_enabled',
      'service_systemd-journald_enabled',
      'service_ufw_enabled',
    ],
  },
  shadow: {
    why: 'the shadow probe has no offline mode ("not supported by shadow probe") and reads the scanning host',
    ids: ['accounts_password_set_max_life_existing', 'accounts_password_set_min_life_existing'],
  },
  interfaces: {
    why: 'the interface probe lists the network interfaces of the scanning host',
    ids: ['wireless_disable_interfaces'],
  },
  // Not excluded: the audit_rules_* checks ask the uname probe (no offline mode either) whether the
  // machine is 64-bit; that criterion drops out as "not applicable", leaving the 64-bit requirement,
  // which is what every fixture (amd64, arm64) needs anyway.
};
/** Excluded SSG ids with the reason. */
export const EXCLUDED = new Map(Object.values(RUNS_ON_SCANNER).flatMap((g) => g.ids.map((id) => [id, g.why] as const)));
/** SSG id families that always read the running system: a new reference of one must be added above. */
export const RUNTIME_FAMILIES = /^(sysctl_|partition_for_|mount_option_|service_.*_(enabled|disabled)$)/;

function findExecutable(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

export const oscapBin = findExecutable('oscap');
const chrootBin = findExecutable('oscap-chroot');
/** Why OpenSCAP cannot run here, or null when it can. */
export const oscapMissing = !oscapBin
  ? 'oscap is not installed (apt-get install openscap-scanner ssg-debderived)'
  : !existsSync(DATASTREAM)
    ? `${DATASTREAM} is missing (apt-get install ssg-debderived)`
    : null;

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      if (code === null) reject(new Error(`${file} ${args.slice(0, 3).join(' ')}: ${err?.message}\n${stderr}`));
      else resolve({ code, stdout, stderr });
    });
  });
}

/** The architecture dpkg records for base-files (or dpkg) in the tree: apt's native architecture there. */
function treeArchitecture(root: string): string {
  const status = readFileSync(path.join(root, 'var/lib/dpkg/status'), 'utf8');
  const arch = new Map<string, string>();
  for (const stanza of status.split(/\n\s*\n/)) {
    const name = /^Package:\s*(\S+)/m.exec(stanza)?.[1];
    const a = /^Architecture:\s*(\S+)/m.exec(stanza)?.[1];
    if (name && a) arch.set(name, a);
  }
  return (
    arch.get('base-files') ?? arch.get('dpkg') ?? ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[process.arch] ?? process.arch
  );
}

/** rule-result verdicts of an XCCDF results file, by SSG rule id. */
export function parseResults(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /<(?:[\w-]+:)?rule-result\b[^>]*\bidref="([^"]+)"[^>]*>[\s\S]*?<(?:[\w-]+:)?result>(\w+)<\/(?:[\w-]+:)?result>/g;
  for (const m of xml.matchAll(re)) if (m[1]!.startsWith(RULE_PREFIX)) out.set(m[1]!.slice(RULE_PREFIX.length), m[2]!);
  return out;
}

/** A datastream and tailoring ready to evaluate, restricted to the SSG rules our content references. */
export interface OscapSetup {
  datastream: string;
  tailoring: string;
  /** SSG ids our rules reference that the datastream has. */
  referenced: string[];
  /** `referenced` minus the ids that read the running system. */
  selected: string[];
  /** "OpenSCAP x, SSG y". */
  versions: string;
}

/** Writes the modified datastream and the tailoring into `work` and validates the datastream once. */
export async function prepareOscap(work: string, rules: Rule[], timeoutMs: number): Promise<OscapSetup> {
  if (oscapMissing) throw new Error(oscapMissing);
  let ds = readFileSync(DATASTREAM, 'utf8');
  for (const p of DROPPED_PLATFORMS) {
    const re = new RegExp(`^[ \\t]*<xccdf-1\\.2:platform idref="${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"/>\\r?\\n`, 'gm');
    const before = ds.length;
    ds = ds.replace(re, '');
    if (ds.length === before) throw new Error(`${DATASTREAM}: no platform ${p} to drop; the content changed, revisit ${import.meta.url}`);
  }
  const datastream = path.join(work, 'ssg-ubuntu2204-ds.xml');
  writeFileSync(datastream, ds);
  const inDatastream = new Set(
    [...ds.matchAll(/<xccdf-1\.2:Rule\b[^>]*\bid="xccdf_org\.ssgproject\.content_rule_([^"]+)"/g)].map((m) => m[1]!),
  );
  const referenced = [...new Set(rules.flatMap((r) => r.references.ssg))].filter((id) => inDatastream.has(id)).sort();
  const selected = referenced.filter((id) => !EXCLUDED.has(id));
  // Validated once here; each evaluation then runs with --skip-valid (it saves a second per run).
  const valid = await run(oscapBin!, ['ds', 'sds-validate', datastream], process.env, timeoutMs);
  if (valid.code !== 0) throw new Error(`the modified datastream is not valid:\n${valid.stdout}${valid.stderr}`);
  const ssgVersion = /<xccdf-1\.2:version\b[^>]*>([^<]+)</.exec(ds)?.[1] ?? '?';
  const oscapVersion = /oscap\)\s+(\S+)/.exec((await run(oscapBin!, ['--version'], process.env, timeoutMs)).stdout)?.[1] ?? '?';
  const tailoring = path.join(work, 'tailoring.xml');
  const setValues = Object.entries(SET_VALUES)
    .map(([k, v]) => `    <xccdf:set-value idref="xccdf_org.ssgproject.content_value_${k}">${v}</xccdf:set-value>`)
    .join('\n');
  writeFileSync(
    tailoring,
    `<?xml version="1.0" encoding="UTF-8"?>
<xccdf:Tailoring xmlns:xccdf="http://checklists.nist.gov/xccdf/1.2" id="xccdf_io.plumbline_tailoring_crosscheck">
  <xccdf:version time="2026-11-22T00:00:00">1</xccdf:version>
  <xccdf:Profile id="${PROFILE}" extends="${BASE_PROFILE}">
    <xccdf:title>Plumbline cross-check</xccdf:title>
${setValues}
  </xccdf:Profile>
</xccdf:Tailoring>
`,
  );
  return { datastream, tailoring, referenced, selected, versions: `OpenSCAP ${oscapVersion}, SSG ${ssgVersion}` };
}

export interface OscapEval {
  /** XCCDF results XML. */
  xml: string;
  results: Map<string, string>;
  /** Wall time of the evaluation (both tries when the package probe needed a second). */
  seconds: number;
  /** The same run as an ARF report, when asked for. */
  arf?: string;
}

/**
 * Evaluates the selected rules on a host tree (`root`, which OpenSCAP writes into: pass a copy) or,
 * with `root` null, on this machine. `dir` receives the apt configuration and the results file.
 */
export async function evaluateWithOscap(
  setup: OscapSetup,
  root: string | null,
  dir: string,
  timeoutMs: number,
  opts: { arf?: boolean } = {},
): Promise<OscapEval> {
  mkdirSync(dir, { recursive: true });
  if (root) {
    mkdirSync(path.join(root, 'usr/share/dpkg'), { recursive: true });
    for (const table of ['cputable', 'tupletable']) {
      const inTree = path.join(root, 'usr/share/dpkg', table);
      if (!existsSync(inTree) && existsSync(`/usr/share/dpkg/${table}`)) copyFileSync(`/usr/share/dpkg/${table}`, inTree);
    }
  }
  // This machine's own apt.conf.d may break the package probe too (see above): never read it.
  mkdirSync(path.join(dir, 'apt.conf.d'), { recursive: true });
  const aptConfig = path.join(dir, 'apt.conf');
  writeFileSync(aptConfig, `Dir::Etc::parts "${path.join(dir, 'apt.conf.d')}";\nAPT::Architecture "${treeArchitecture(root ?? '/')}";\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, APT_CONFIG: aptConfig, ...(root ? { OSCAP_PROBE_ROOT: root } : {}) };
  const resultsFile = path.join(dir, 'results.xml');
  const arfFile = path.join(dir, 'results-arf.xml');
  const evalArgs = [
    'xccdf',
    'eval',
    '--skip-valid',
    '--tailoring-file',
    setup.tailoring,
    '--profile',
    PROFILE,
    ...setup.selected.flatMap((id) => ['--rule', RULE_PREFIX + id]),
    '--results',
    resultsFile,
    ...(opts.arf ? ['--results-arf', arfFile] : []),
    setup.datastream,
  ];
  const once = () => (root && chrootBin ? run(chrootBin, [root, ...evalArgs], env, timeoutMs) : run(oscapBin!, evalArgs, env, timeoutMs));
  const started = performance.now();
  let out = await once();
  // OpenSCAP 1.3.7 reports every package absent after "dpkginfo_init has failed": try once more.
  if (out.stderr.includes('dpkginfo_init has failed')) out = await once();
  const seconds = (performance.now() - started) / 1000;
  // 0: every rule passed, 2: some failed; anything else is an error of oscap itself.
  if (out.code !== 0 && out.code !== 2) throw new Error(`oscap exited ${out.code}:\n${out.stderr}`);
  if (out.stderr.includes('dpkginfo_init has failed')) {
    throw new Error(
      `the dpkginfo probe cannot read the package database of ${root ?? '/'} (does usr/share/dpkg/cputable exist?):\n${out.stderr}`,
    );
  }
  const xml = readFileSync(resultsFile, 'utf8');
  return { xml, results: parseResults(xml), seconds, ...(opts.arf ? { arf: readFileSync(arfFile, 'utf8') } : {}) };
}
