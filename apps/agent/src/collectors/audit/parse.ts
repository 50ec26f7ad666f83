import type { AuditFact } from '@plumbline/protocol/facts';

/** audit.rules(7): one auditctl argument list per line, `#` comments. */
export function parseAuditRules(text: string, file: string): AuditFact['rules'] {
  const out: AuditFact['rules'] = [];
  text.split('\n').forEach((raw, i) => {
    const l = raw.trim();
    if (l === '' || l.startsWith('#')) return;
    out.push({ rule: l.replace(/\s+/g, ' '), file, line: i + 1 });
  });
  return out;
}

/** The value of the last `-<flag> N` control line. */
export function lastControl(rules: AuditFact['rules'], flag: string): string | null {
  let v: string | null = null;
  for (const r of rules) {
    const m = new RegExp(`^-${flag}\\s+(\\S+)`).exec(r.rule);
    if (m) v = m[1] as string;
  }
  return v;
}
