import { compareBytes } from '../lib/order';
import type { AutomaticUpdatesFact } from '@plumbline/protocol/facts';

export type Setting = NonNullable<AutomaticUpdatesFact['unattended_upgrades']['unattended_upgrade']>;

/**
 * apt.conf(5) syntax: `A::B "v";` and `A { B "v"; };`, with `//`, `/* *\/` and `#` comments.
 * Keys are case-insensitive, so they are returned lower-cased; the last assignment wins.
 */
export function parseAptConf(text: string, file: string): Map<string, Setting> {
  const out = new Map<string, Setting>();
  const stripped = text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '));
  const tokens: { t: string; line: number }[] = [];
  stripped.split('\n').forEach((raw, i) => {
    const l = raw.replace(/^\s*#.*$/, '').replace(/(^|\s)\/\/.*$/, '');
    for (const m of l.matchAll(/"[^"]*"|[{};]|[^\s{};"]+/g)) tokens.push({ t: m[0], line: i + 1 });
  });
  const scope: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const { t, line } = tokens[i] as { t: string; line: number };
    const next = tokens[i + 1]?.t;
    if (t === '}') scope.pop();
    else if (t === '{' || t === ';') continue;
    else if (next === '{') {
      scope.push(t);
      i++;
    } else if (next?.startsWith('"')) {
      out.set([...scope, t].join('::').toLowerCase(), { value: next.slice(1, -1), file, line });
      i++;
    }
  }
  return out;
}

/** apt reads parts with no extension or `.conf`, named only from [A-Za-z0-9_.-], in order, then apt.conf. */
export function aptPartFiles(names: string[]): string[] {
  return names.filter((n) => /^[A-Za-z0-9_.-]+$/.test(n) && (!n.includes('.') || n.endsWith('.conf'))).sort(compareBytes);
}
