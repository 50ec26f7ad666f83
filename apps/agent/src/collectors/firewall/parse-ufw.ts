import type { FirewallFact } from '@plumbline/protocol/facts';

export type Ufw = FirewallFact['ufw'];
export type UfwRule = Ufw['rules'][number];

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
