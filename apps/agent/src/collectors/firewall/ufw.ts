import type { FirewallFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { runCommand } from '../lib/exec';
import { isInstalled } from '../lib/host-packages';
import { parseShellVars } from '../lib/kv-files';
import { tryReadText } from '../lib/root-fs';

type Ufw = FirewallFact['ufw'];
type UfwRule = Ufw['rules'][number];

const POLICY: Record<string, Ufw['default_incoming']> = { DROP: 'deny', ACCEPT: 'allow', REJECT: 'reject' };
export const UFW_CONF = '/etc/ufw/ufw.conf';
export const UFW_DEFAULTS = '/etc/default/ufw';
const RULE_FILES = [
  { file: '/etc/ufw/user.rules', v6: false },
  { file: '/etc/ufw/user6.rules', v6: true },
];

/**
 * The `### tuple ###` comments ufw writes above each user rule:
 * `ACTION PROTO DPORT DST SPORT SRC [DAPP SAPP] DIRECTION[_IFACE] [comment=HEX]`, where a
 * routed rule's action starts with `route:`.
 */
export function parseUfwTuples(text: string, file: string, v6: boolean): UfwRule[] {
  const out: UfwRule[] = [];
  text.split('\n').forEach((raw, i) => {
    const m = /^### tuple ###\s+(.*)$/.exec(raw.trim());
    if (!m) return;
    const f = (m[1] as string).split(/\s+/).filter((w) => !w.startsWith('comment='));
    if (f.length < 7) return;
    const [action, protocol, to_port, to, from_port, from] = f as [string, string, string, string, string, string];
    const dirField = f[f.length - 1] as string;
    const route = action.startsWith('route:');
    const [dir, iface] = dirField.split('!')[0]?.split('_') ?? [];
    out.push({
      action: action.replace(/^route:/, ''),
      protocol,
      to,
      to_port,
      from,
      from_port,
      direction: route ? 'fwd' : dir === 'out' ? 'out' : 'in',
      interface: iface ?? null,
      v6,
      file,
      line: i + 1,
    });
  });
  return out;
}

/** `ufw status`: the first line is `Status: active` or `Status: inactive`. */
export function parseUfwStatus(text: string): boolean | null {
  const m = /^Status:\s*(\S+)/m.exec(text);
  return m ? m[1] === 'active' : null;
}

export async function collectUfw(ctx: CollectContext, warnings: string[]): Promise<Ufw> {
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
  for (const { file, v6 } of RULE_FILES) {
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
