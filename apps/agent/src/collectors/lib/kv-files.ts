/** Small parsers for the key/value file dialects many security settings live in. */

export interface KeyValue {
  key: string;
  value: string;
  line: number;
}

function unquoteShell(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'")))) return t.slice(1, -1);
  return t.replace(/\s+#.*$/, '');
}

/**
 * Shell variable assignments as a `.`-sourced file sets them (/etc/default/*, selinux config,
 * ufw.conf): `KEY=value`, quoted or not, `$KEY`/`${KEY}` expanded from earlier assignments
 * (and `vars`), the last assignment wins.
 */
export function parseShellVars(text: string, vars: Record<string, KeyValue> = {}): Record<string, KeyValue> {
  const out: Record<string, KeyValue> = { ...vars };
  text.split('\n').forEach((raw, i) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(raw.replace(/\r$/, ''));
    if (!m) return;
    const single = /^\s*'/.test(m[2] as string);
    let value = unquoteShell(m[2] as string);
    if (!single) value = value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, k: string) => out[k]?.value ?? '');
    out[m[1] as string] = { key: m[1] as string, value, line: i + 1 };
  });
  return out;
}

/**
 * `key = value` files (auditd.conf, pwquality.conf, faillock.conf, pwhistory.conf): `#`
 * comments, `=` optional for bare flags (value ''), the last line for a key wins.
 */
export function parseKeyValueConf(text: string): Record<string, KeyValue> {
  const out: Record<string, KeyValue> = {};
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const m = /^([A-Za-z0-9_.-]+)\s*(?:=\s*(.*))?$/.exec(line);
    if (!m) return;
    out[m[1] as string] = { key: m[1] as string, value: (m[2] ?? '').trim(), line: i + 1 };
  });
  return out;
}

export interface IniEntry extends KeyValue {
  section: string;
}

/** systemd-style INI (journald.conf, timesyncd.conf): `[Section]`, `Key=value`, `#`/`;` comments, `\` continuation. */
export function parseIni(text: string): IniEntry[] {
  const out: IniEntry[] = [];
  let section = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = (lines[i] as string).replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${(lines[++i] as string).trim()}`;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      section = sec[1] as string;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq === -1) continue;
    out.push({ section, key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim(), line: start });
  }
  return out;
}
