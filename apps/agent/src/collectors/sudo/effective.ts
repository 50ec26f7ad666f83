import type { SudoFact } from '@plumbline/protocol/facts';
import { type ParsedSudoers, type SudoDefault, type SudoRule } from './parse';

/** Order in which sudo applies Defaults: later kinds override earlier ones whatever the file order. */
const SCOPE_ORDER: SudoDefault['scope'][] = ['global', 'host', 'user', 'runas', 'command'];

/** sudo 1.9.14 turned use_pty on by default; older builds (Debian 12, RHEL 9) leave it off. */
export function usePtyDefault(version: string | null): boolean {
  const m = /^(?:\d+:)?(\d+)\.(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return false;
  const [maj, min, pat] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return maj > 1 || (maj === 1 && (min > 9 || (min === 9 && pat >= 14)));
}

function lastGlobal(defaults: SudoDefault[], name: string): SudoDefault | undefined {
  return defaults.filter((d) => d.scope === 'global' && d.name === name).at(-1);
}

export function effectiveDefaults(defaults: SudoDefault[], version: string | null): SudoFact['effective'] {
  const flag = (name: string, dflt: boolean) => {
    const d = lastGlobal(defaults, name);
    return d === undefined ? dflt : d.value !== false;
  };
  const logfile = lastGlobal(defaults, 'logfile')?.value;
  const timeout = lastGlobal(defaults, 'timestamp_timeout')?.value;
  const n = typeof timeout === 'string' ? Number(timeout) : NaN;
  return {
    use_pty: flag('use_pty', usePtyDefault(version)),
    logfile: typeof logfile === 'string' ? logfile : null,
    timestamp_timeout: Number.isFinite(n) ? n : null,
    log_input: flag('log_input', false),
    log_output: flag('log_output', false),
    authenticate: flag('authenticate', true),
  };
}

const items = (s: string | null) => (s ?? '').split(',').map((x) => x.trim());

/** Whether a scoped Defaults line names this rule (by the same list entry or ALL; aliases are not expanded). */
function applies(d: SudoDefault, rule: SudoRule, command: string): boolean {
  const t = items(d.target);
  if (d.scope === 'global' || t.includes('ALL')) return true;
  if (d.scope === 'user') return rule.who.some((w) => t.includes(w));
  if (d.scope === 'host') return rule.host.some((h) => t.includes(h));
  if (d.scope === 'runas')
    return (
      (rule.runas ?? 'root')
        .split(':')[0]
        ?.split(',')
        .some((r) => t.includes(r.trim())) ?? false
    );
  return t.includes(command) || t.includes(command.split(' ')[0] ?? '');
}

/**
 * Commands that run without a password: an explicit NOPASSWD tag, or no PASSWD tag and an
 * `authenticate` Defaults that is false for them (global first, then host, user, runas and
 * command scopes, each overriding the one before, as sudo applies them).
 */
export function unauthenticated(parsed: Pick<ParsedSudoers, 'defaults' | 'rules'>): SudoFact['rules_without_authentication'] {
  const auth = parsed.defaults.filter((d) => d.name === 'authenticate');
  const out: SudoFact['rules_without_authentication'] = [];
  for (const rule of parsed.rules) {
    const byReason = { NOPASSWD: [] as string[], '!authenticate': [] as string[] };
    for (const c of rule.commands) {
      if (c.tags.includes('NOPASSWD')) byReason.NOPASSWD.push(c.command);
      else if (!c.tags.includes('PASSWD')) {
        let value = true;
        for (const scope of SCOPE_ORDER)
          for (const d of auth) if (d.scope === scope && applies(d, rule, c.command)) value = d.value !== false;
        if (!value) byReason['!authenticate'].push(c.command);
      }
    }
    for (const reason of ['NOPASSWD', '!authenticate'] as const) {
      if (byReason[reason].length === 0) continue;
      out.push({ who: rule.who, host: rule.host, runas: rule.runas, commands: byReason[reason], reason, file: rule.file, line: rule.line });
    }
  }
  return out;
}
