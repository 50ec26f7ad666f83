import path from 'node:path';
import { compareBytes } from '../lib/order';

/** What the parser needs from the host; the collector backs it with files under the root. */
export interface SudoersSource {
  /** File contents, or null when it does not exist or cannot be read. */
  read(file: string): Promise<string | null>;
  /** Entry names of a directory (empty when absent). */
  list(dir: string): Promise<string[]>;
}

export type DefaultsScope = 'global' | 'user' | 'host' | 'runas' | 'command';

export interface SudoDefault {
  name: string;
  /** true/false for a flag (or a negated setting), the value as a string otherwise. */
  value: boolean | string;
  operator: '=' | '+=' | '-=' | null;
  scope: DefaultsScope;
  /** The list after `Defaults:` / `@` / `>` / `!`, as written; null for global. */
  target: string | null;
  file: string;
  line: number;
}

export interface SudoCommand {
  command: string;
  /** Tags in force for this command (NOPASSWD, SETENV...), inherited as sudo inherits them. */
  tags: string[];
}

export interface SudoRule {
  who: string[];
  host: string[];
  /** The Runas_Spec inside the parentheses as written (e.g. `ALL : ALL`), or null (root). */
  runas: string | null;
  commands: SudoCommand[];
  file: string;
  line: number;
}

export interface SudoAlias {
  type: 'User_Alias' | 'Runas_Alias' | 'Host_Alias' | 'Cmnd_Alias';
  name: string;
  members: string[];
  file: string;
  line: number;
}

export interface ParsedSudoers {
  files: string[];
  defaults: SudoDefault[];
  rules: SudoRule[];
  aliases: SudoAlias[];
  warnings: string[];
}

const TAGS = new Set([
  'NOPASSWD',
  'PASSWD',
  'NOEXEC',
  'EXEC',
  'SETENV',
  'NOSETENV',
  'LOG_INPUT',
  'NOLOG_INPUT',
  'LOG_OUTPUT',
  'NOLOG_OUTPUT',
  'MAIL',
  'NOMAIL',
  'FOLLOW',
  'NOFOLLOW',
  'INTERCEPT',
  'NOINTERCEPT',
]);
/** A tag switches off its opposite for the commands after it. */
const OPPOSITE: Record<string, string> = Object.fromEntries(
  [...TAGS]
    .filter((t) => t.startsWith('NO'))
    .flatMap((t) => [
      [t, t.slice(2)],
      [t.slice(2), t],
    ]),
);
const MAX_DEPTH = 128;

/** Logical lines: a trailing backslash joins the next line; each keeps its first line number. */
export function logicalLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let t = lines[i] as string;
    while (t.endsWith('\\') && i + 1 < lines.length) t = t.slice(0, -1) + (lines[++i] as string);
    out.push({ text: t, line });
  }
  return out;
}

/**
 * Removes a `#` comment. `#` followed by digits is a uid (`#0`, `(#1000)`), and `#` inside
 * quotes or escaped is literal, as in sudo's lexer.
 */
export function stripComment(s: string): string {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (c === '#' && !quoted && !/^#-?\d+([\s,:)=]|$)/.test(s.slice(i)) && (i === 0 || /[\s,(!]/.test(s[i - 1] as string))) {
      return s.slice(0, i);
    }
  }
  return s;
}

/** Splits on `sep` outside quotes, parentheses and backslash escapes. */
export function splitTopLevel(s: string, isSep: (s: string, i: number) => boolean): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && isSep(s, i)) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

const comma = (s: string, i: number) => s[i] === ',';

function unquote(v: string): string {
  const t = v.trim();
  const inner = t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
  return inner.replace(/\\(.)/g, '$1');
}

/** One `Defaults` line (without the keyword): its parameters, each as sudo would set it. */
export function parseDefaultsParams(params: string): Omit<SudoDefault, 'scope' | 'target' | 'file' | 'line'>[] {
  const out: Omit<SudoDefault, 'scope' | 'target' | 'file' | 'line'>[] = [];
  for (const p of splitTopLevel(params, comma)) {
    const m = /^(!*)\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:(\+=|-=|=)\s*(.*))?$/s.exec(p);
    if (!m) continue;
    const negated = (m[1] as string).length % 2 === 1;
    const op = (m[3] ?? null) as SudoDefault['operator'];
    if (op === null || negated) out.push({ name: m[2] as string, value: !negated, operator: null });
    else out.push({ name: m[2] as string, value: unquote(m[4] ?? ''), operator: op });
  }
  return out;
}

const SCOPES: Record<string, DefaultsScope> = { ':': 'user', '@': 'host', '>': 'runas', '!': 'command' };

function parseDefaultsLine(text: string, file: string, line: number): SudoDefault[] {
  const m = /^Defaults(?:([:@>!])((?:[^\s,\\]|\\.)+(?:\s*,\s*(?:[^\s,\\]|\\.)+)*))?(?:\s+(.*))?$/s.exec(text);
  if (!m) return [];
  const scope = m[1] ? (SCOPES[m[1]] as DefaultsScope) : 'global';
  const target = m[2] ? m[2].replace(/\s*,\s*/g, ',') : null;
  return parseDefaultsParams(m[3] ?? '').map((d) => ({ ...d, scope, target, file, line }));
}

/** A `:` that separates host specs, not the one ending a tag (`NOPASSWD:`) or a digest (`sha256:`). */
function hostSeparator(s: string, i: number): boolean {
  if (s[i] !== ':') return false;
  const word = /([A-Za-z0-9_]+)$/.exec(s.slice(0, i))?.[1] ?? '';
  return !TAGS.has(word) && !/^sha(224|256|384|512)$/.test(word);
}

/** The first `=` outside quotes, escapes and parentheses. */
function topLevelEquals(s: string): number {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === '=') return i;
  }
  return -1;
}

const list = (s: string) => splitTopLevel(s, comma);

/** Cmnd_Spec_List: runas and tags carry over to later commands until changed, as in sudo's grammar. */
export function parseCommandList(text: string): { runas: string | null; command: string; tags: string[] }[] {
  const out: { runas: string | null; command: string; tags: string[] }[] = [];
  let runas: string | null = null;
  let tags = new Set<string>();
  for (const item of list(text)) {
    let rest = item;
    const r = /^\(([^)]*)\)\s*/.exec(rest);
    if (r) {
      runas = (r[1] as string).trim().replace(/\s*([,:])\s*/g, (_, c: string) => (c === ':' ? ' : ' : ', '));
      rest = rest.slice(r[0].length);
    }
    for (;;) {
      const opt = /^(CWD|CHROOT|ROLE|TYPE|TIMEOUT|NOTBEFORE|NOTAFTER|APPARMOR_PROFILE|PRIVS|LIMITPRIVS)\s*=\s*\S+\s*/.exec(rest);
      const tag = /^([A-Z_]+)\s*:\s*/.exec(rest);
      if (opt) rest = rest.slice(opt[0].length);
      else if (tag && TAGS.has(tag[1] as string)) {
        tags = new Set(tags);
        tags.delete(OPPOSITE[tag[1] as string] as string);
        tags.add(tag[1] as string);
        rest = rest.slice(tag[0].length);
      } else break;
    }
    rest = rest.replace(/^sha(224|256|384|512):\S+\s+/, '');
    out.push({ runas, command: rest.trim().replace(/\s+/g, ' '), tags: [...tags].sort() });
  }
  return out;
}

/** A user specification: `who host = cmnds [: host = cmnds]...`, one rule per host spec and Runas. */
export function parseUserSpec(text: string, file: string, line: number): SudoRule[] | null {
  const eq = topLevelEquals(text);
  if (eq === -1) return null;
  const head = text
    .slice(0, eq)
    .replace(/\s*,\s*/g, ',')
    .trim()
    .split(/\s+/);
  if (head.length < 2) return null;
  const who = list(head.slice(0, -1).join(' '));
  const segments = splitTopLevel(text.slice(eq + 1), hostSeparator);
  const rules: SudoRule[] = [];
  let host = list(head[head.length - 1] as string);
  segments.forEach((seg, i) => {
    let cmnds = seg;
    if (i > 0) {
      const e = topLevelEquals(seg);
      if (e === -1) return;
      host = list(seg.slice(0, e));
      cmnds = seg.slice(e + 1);
    }
    let current: SudoRule | null = null;
    for (const c of parseCommandList(cmnds)) {
      const cmd = { command: c.command, tags: c.tags };
      if (current && current.runas === c.runas) current.commands.push(cmd);
      else rules.push((current = { who, host, runas: c.runas, commands: [cmd], file, line }));
    }
  });
  return rules;
}

const ALIAS_RE = /^(User|Runas|Host|Cmnd|Cmd)_Alias\s+(.*)$/s;

function parseAliasLine(text: string, file: string, line: number): SudoAlias[] {
  const m = ALIAS_RE.exec(text);
  if (!m) return [];
  const type = `${m[1] === 'Cmd' ? 'Cmnd' : m[1]}_Alias` as SudoAlias['type'];
  return splitTopLevel(m[2] as string, (s, i) => s[i] === ':').flatMap((def) => {
    const e = def.indexOf('=');
    if (e === -1) return [];
    return [{ type, name: def.slice(0, e).trim(), members: list(def.slice(e + 1)), file, line }];
  });
}

/** `@includedir` takes files whose names neither end in `~` nor contain a `.`, in byte order. */
export function includedirFiles(names: string[]): string[] {
  return names.filter((n) => !n.endsWith('~') && !n.includes('.')).sort(compareBytes);
}

/**
 * Parses sudoers as sudo reads it: `#include`/`@include` (relative to the including file's
 * directory) and `#includedir`/`@includedir` expanded where they stand, backslash line
 * continuation, `#` comments.
 */
export async function parseSudoers(main: string, src: SudoersSource): Promise<ParsedSudoers | null> {
  const out: ParsedSudoers = { files: [], defaults: [], rules: [], aliases: [], warnings: [] };
  const visit = async (file: string, stack: string[]): Promise<boolean> => {
    if (stack.includes(file) || stack.length >= MAX_DEPTH) {
      out.warnings.push(`${file}: include loop or nesting too deep; skipped`);
      return true;
    }
    const text = await src.read(file);
    if (text === null) return false;
    out.files.push(file);
    for (const { text: raw, line } of logicalLines(text)) {
      const inc = /^\s*[#@]include(dir)?\s+(.+?)\s*$/.exec(raw);
      if (inc) {
        const target = path.posix.resolve(path.posix.dirname(file), unquote(inc[2] as string));
        if (inc[1]) {
          for (const name of includedirFiles(await src.list(target))) await visit(path.posix.join(target, name), [...stack, file]);
        } else if (!(await visit(target, [...stack, file]))) {
          out.warnings.push(`${file}:${line}: included file ${target} is missing or unreadable`);
        }
        continue;
      }
      const t = stripComment(raw).trim();
      if (t === '') continue;
      if (/^Defaults([\s:@>!]|$)/.test(t)) out.defaults.push(...parseDefaultsLine(t, file, line));
      else if (ALIAS_RE.test(t)) out.aliases.push(...parseAliasLine(t, file, line));
      else {
        const rules = parseUserSpec(t, file, line);
        if (rules) out.rules.push(...rules);
        else out.warnings.push(`${file}:${line}: cannot parse "${t.slice(0, 80)}"`);
      }
    }
    return true;
  };
  return (await visit(main, [])) ? out : null;
}
