import path from 'node:path';
import type { FirewallFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { runCommand } from '../lib/exec';
import { isInstalled } from '../lib/host-packages';
import { iptablesFilters, parseIptablesSave } from './parse-iptables';
import { parseShellVars } from '../lib/kv-files';
import { hookPolicy, parseNftConf, parseNftJson, sortTables } from './parse-nftables';
import { globUnderRoot, tryReadText } from '../lib/root-fs';
import { isEnabled, unitFileState } from '../lib/systemd-units';
import { parseUfwStatus, parseUfwTuples, type Ufw, type UfwRule } from './parse-ufw';

const NFT_FILES = ['/etc/nftables.conf', '/etc/sysconfig/nftables.conf'];
const IPTABLES_FILES = {
  v4: ['/etc/iptables/rules.v4', '/etc/sysconfig/iptables'],
  v6: ['/etc/iptables/rules.v6', '/etc/sysconfig/ip6tables'],
};
const FIREWALLD_CONF = '/etc/firewalld/firewalld.conf';
const MAX_INCLUDES = 64;
const POLICY: Record<string, Ufw['default_incoming']> = { DROP: 'deny', ACCEPT: 'allow', REJECT: 'reject' };
const UFW_CONF = '/etc/ufw/ufw.conf';
const UFW_DEFAULTS = '/etc/default/ufw';
const UFW_RULE_FILES = [
  { file: '/etc/ufw/user.rules', v6: false },
  { file: '/etc/ufw/user6.rules', v6: true },
];

async function command(ctx: CollectContext, cmd: string, args: string[], warnings: string[]): Promise<string | null> {
  if (!ctx.live) return null;
  try {
    const res = await runCommand(cmd, args, { timeoutMs: 5000 });
    if (res.code === 0) return res.stdout;
    warnings.push(`${cmd} exited ${res.code}: ${res.stderr.trim().split('\n')[0] ?? ''}`);
  } catch (err) {
    // Not installed is an ordinary answer; the files still say what is configured.
    if ((err as { code?: string }).code !== 'PLUMBLINE_ERR_COMMAND_NOT_FOUND') warnings.push(`${cmd}: ${(err as Error).message}`);
  }
  return null;
}

async function nftFromFiles(ctx: CollectContext): Promise<{ source: string; tables: FirewallFact['nftables']['tables'] } | null> {
  for (const main of NFT_FILES) {
    const text = await tryReadText(ctx.root, main).catch(() => null);
    if (text === null) continue;
    const tables: FirewallFact['nftables']['tables'] = [];
    const queue = parseNftConf(text, tables).includes.map((p) => path.posix.resolve('/etc', p));
    for (let n = 0; queue.length > 0 && n < MAX_INCLUDES; n++) {
      for (const file of await globUnderRoot(ctx.root, queue.shift() as string)) {
        const inc = await tryReadText(ctx.root, file).catch(() => null);
        if (inc !== null) queue.push(...parseNftConf(inc, tables).includes.map((p) => path.posix.resolve('/etc', p)));
      }
    }
    return { source: main, tables };
  }
  return null;
}

async function nftables(ctx: CollectContext, warnings: string[]): Promise<FirewallFact['nftables']> {
  const installed = await isInstalled(ctx, { packages: ['nftables'], paths: ['/usr/sbin/nft', '/sbin/nft'] });
  const service_enabled = isEnabled(await unitFileState(ctx.root, 'nftables.service'));
  let ruleset: { source: string; tables: FirewallFact['nftables']['tables'] } | null = null;
  const json = installed ? await command(ctx, 'nft', ['-j', 'list', 'ruleset'], warnings) : null;
  if (json !== null) {
    try {
      ruleset = { source: 'nft -j list ruleset', tables: parseNftJson(json) };
    } catch (err) {
      warnings.push(`nft -j list ruleset: ${(err as Error).message}`);
    }
  }
  ruleset ??= await nftFromFiles(ctx);
  const tables = sortTables(ruleset?.tables ?? []);
  return {
    installed,
    service_enabled,
    ruleset_source: ruleset?.source ?? null,
    tables,
    input_policy: hookPolicy(tables, 'input'),
    forward_policy: hookPolicy(tables, 'forward'),
    output_policy: hookPolicy(tables, 'output'),
  };
}

async function iptablesFamily(ctx: CollectContext, cmd: string, files: string[], installed: boolean, warnings: string[]) {
  const out = installed ? await command(ctx, cmd, [], warnings) : null;
  if (out !== null) return parseIptablesSave(out, cmd);
  for (const file of files) {
    const text = await tryReadText(ctx.root, file).catch(() => null);
    if (text !== null) return parseIptablesSave(text, file);
  }
  return null;
}

async function collectUfw(ctx: CollectContext, warnings: string[]): Promise<Ufw> {
  const installed = await isInstalled(ctx, { packages: ['ufw'], paths: ['/usr/sbin/ufw'] });
  const conf = parseShellVars((await tryReadText(ctx.root, UFW_CONF).catch(() => null)) ?? '');
  const defaults = parseShellVars((await tryReadText(ctx.root, UFW_DEFAULTS).catch(() => null)) ?? '');
  const policy = (k: string) => POLICY[(defaults[k]?.value ?? '').toUpperCase()] ?? null;
  let enabled = installed && conf.ENABLED?.value === 'yes';
  let enabled_source: Ufw['enabled_source'] = conf.ENABLED ? { file: UFW_CONF, line: conf.ENABLED.line } : null;
  if (ctx.live && installed) {
    try {
      const res = await runCommand('ufw', ['status'], { timeoutMs: 5000 });
      const status = res.code === 0 ? parseUfwStatus(res.stdout) : null;
      if (status !== null) {
        enabled = status;
        enabled_source = { command: 'ufw status' };
      }
    } catch (err) {
      warnings.push(`ufw status: ${(err as Error).message}`);
    }
  }
  const rules: UfwRule[] = [];
  for (const { file, v6 } of UFW_RULE_FILES) {
    const text = await tryReadText(ctx.root, file).catch(() => null);
    if (text !== null) rules.push(...parseUfwTuples(text, file, v6));
  }
  return {
    installed,
    enabled,
    enabled_source,
    default_incoming: policy('DEFAULT_INPUT_POLICY'),
    default_outgoing: policy('DEFAULT_OUTPUT_POLICY'),
    default_routed: policy('DEFAULT_FORWARD_POLICY'),
    rules,
  };
}

export async function collect(ctx: CollectContext): Promise<FirewallFact> {
  const iptInstalled = await isInstalled(ctx, { packages: ['iptables'], paths: ['/usr/sbin/iptables', '/sbin/iptables'] });
  // The four commands at once: on a live host each is a process start, and one after the
  // other they were most of this collector's time. Warnings keep a fixed order (the fact's digest).
  const w = { ufw: [] as string[], nft: [] as string[], v4: [] as string[], v6: [] as string[] };
  const [ufw, nft, v4, v6] = await Promise.all([
    collectUfw(ctx, w.ufw),
    nftables(ctx, w.nft),
    iptablesFamily(ctx, 'iptables-save', IPTABLES_FILES.v4, iptInstalled, w.v4),
    iptablesFamily(ctx, 'ip6tables-save', IPTABLES_FILES.v6, iptInstalled, w.v6),
  ]);
  const warnings = [...w.ufw, ...w.nft, ...w.v4, ...w.v6];
  const fwdInstalled = await isInstalled(ctx, { packages: ['firewalld'], paths: ['/usr/sbin/firewalld'] });
  const fwdConf = parseShellVars((await tryReadText(ctx.root, FIREWALLD_CONF).catch(() => null)) ?? '');
  const firewalld = {
    installed: fwdInstalled,
    service_enabled: fwdInstalled && isEnabled(await unitFileState(ctx.root, 'firewalld.service')),
    default_zone: fwdConf.DefaultZone?.value ?? null,
    file: fwdConf.DefaultZone ? FIREWALLD_CONF : null,
    line: fwdConf.DefaultZone?.line ?? null,
  };
  // On a live host the loaded ruleset speaks for itself; from files, only what a boot would load counts.
  const iptBoot =
    ctx.live ||
    isEnabled(await unitFileState(ctx.root, 'netfilter-persistent.service')) ||
    isEnabled(await unitFileState(ctx.root, 'iptables.service'));
  let active: FirewallFact['active'] = null;
  if (ufw.enabled) active = 'ufw';
  else if (firewalld.service_enabled) active = 'firewalld';
  else if (nft.installed && (ctx.live ? nft.ruleset_source?.startsWith('nft ') : nft.service_enabled) && nft.input_policy !== null)
    active = 'nftables';
  else if (iptBoot && (iptablesFilters(v4) || iptablesFilters(v6))) active = 'iptables';
  return { ufw, nftables: nft, iptables: { installed: iptInstalled, v4, v6 }, firewalld, active, warnings };
}
