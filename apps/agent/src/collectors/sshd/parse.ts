import path from 'node:path';
import type { SshdMatchBlock, SshdSetting, SshdConfigFact } from '@plumbline/protocol/facts';
import { sortRecord } from '../lib/order';

/** What the parser needs from the host; the collector backs it with files under the root. */
export interface SshdConfigSource {
  /** File contents, or null when the file does not exist or cannot be read. */
  read(file: string): Promise<string | null>;
  /** glob(3) matches in the order glob returns them (byte order). */
  glob(pattern: string): Promise<string[]>;
}

export interface ParsedSshdConfig {
  files: string[];
  settings: Record<string, SshdSetting>;
  match_blocks: SshdMatchBlock[];
  warnings: string[];
}

export type SshdLine = { kind: 'blank' } | { kind: 'error'; message: string } | { kind: 'directive'; keyword: string; args: string[] };

const SSH_DIR = '/etc/ssh';

// OpenSSH's SSHDIR: base of relative Include paths
const MAX_INCLUDE_DEPTH = 16;

// SERVCONF_MAX_DEPTH

/** Keywords where every line adds values instead of the first line winning. */
const ACCUMULATING = new Set([
  'port',
  'listenaddress',
  'hostkey',
  'hostcertificate',
  'acceptenv',
  'subsystem',
  'allowusers',
  'denyusers',
  'allowgroups',
  'denygroups',
]);

/** Old spellings share their option with the new one, so first-wins applies across both. */
const ALIASES: Record<string, string> = {
  challengeresponseauthentication: 'kbdinteractiveauthentication',
  skeyauthentication: 'kbdinteractiveauthentication',
  pubkeyacceptedkeytypes: 'pubkeyacceptedalgorithms',
  hostbasedacceptedkeytypes: 'hostbasedacceptedalgorithms',
  dsaauthentication: 'pubkeyauthentication',
};

/** Every sshd keyword is letters and digits; sshd refuses a file with any other. */
export const isSshdKeyword = (canonical: string): boolean => /^[a-z0-9]+$/.test(canonical);

export function canonicalKeyword(keyword: string): string {
  const k = keyword.toLowerCase();
  // Own keys only: `constructor` or `toString` on a line must not resolve to Object's members.
  return Object.hasOwn(ALIASES, k) ? (ALIASES[k] as string) : k;
}

/**
 * One sshd_config line as servconf.c reads it: trailing whitespace stripped (so CRLF is
 * fine); the keyword ends at whitespace or `=` (one `=` may separate it from the value);
 * a line whose keyword starts with `#` is a comment; the arguments are split like
 * OpenSSH's argv_split: single or double quotes group, backslash escapes quotes, `\` and
 * spaces, and a `#` at the start of an argument ends the line.
 */
export function tokenizeSshdLine(rawLine: string): SshdLine {
  const line = rawLine.replace(/[ \t\r\n\f]+$/, '').replace(/^[ \t\r\n]+/, '');
  const m = /^([^ \t\r\n"=]*)[ \t\r\n]*(=?)[ \t\r\n]*/.exec(line);
  const keyword = m?.[1] ?? '';
  if (keyword === '' || keyword.startsWith('#')) return { kind: 'blank' };
  const rest = line.slice(m?.[0].length ?? 0);
  if (rest === '') return { kind: 'error', message: `no argument after keyword "${keyword}"` };
  const args = splitArgs(rest);
  if (args === null) return { kind: 'error', message: 'invalid quotes' };
  if (args.length === 0) return { kind: 'error', message: `missing argument for "${keyword}"` };
  return { kind: 'directive', keyword, args };
}

function splitArgs(s: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '#') break;
    let arg = '';
    let quote: string | null = null;
    for (; i < s.length; i++) {
      const ch = s[i] as string;
      const next = s[i + 1];
      if (ch === '\\') {
        if (next === "'" || next === '"' || next === '\\' || (quote === null && next === ' ')) {
          arg += next;
          i++;
        } else arg += ch;
      } else if (quote === null && (ch === ' ' || ch === '\t')) break;
      else if (quote === null && (ch === '"' || ch === "'")) quote = ch;
      else if (quote !== null && ch === quote) quote = null;
      else arg += ch;
    }
    if (quote !== null) return null;
    out.push(arg);
  }
  return out;
}

interface ParseState {
  block: SshdMatchBlock | null;
  /** Set while reading a file included from inside a Match block: its own Match lines never apply. */
  neverMatch: boolean;
  /** Files read through Include so far, and whether Include expansion stopped (sshd would refuse to start). */
  reads: number;
  includesStopped: boolean;
}

/** A config that includes itself can fan out without end: past the depth limit (where sshd refuses to start) or this many reads, no Include is expanded. */
const MAX_INCLUDE_READS = 256;

/**
 * Reads the configuration the way sshd does at startup: first value wins, Include is
 * expanded in place (so a drop-in included before a keyword wins over it), Match blocks
 * are kept apart and never change the global values, `Match all` returns to global scope.
 */
export async function parseSshdConfig(source: SshdConfigSource, mainFile = '/etc/ssh/sshd_config'): Promise<ParsedSshdConfig | null> {
  const result: ParsedSshdConfig = { files: [], settings: {}, match_blocks: [], warnings: [] };
  const mainText = await source.read(mainFile);
  if (mainText === null) return null;
  const state: ParseState = { block: null, neverMatch: false, reads: 0, includesStopped: false };
  await parseFile(source, mainFile, mainText, 0, state, result);
  result.settings = sortRecord(result.settings);
  for (const b of result.match_blocks) b.settings = sortRecord(b.settings);
  return result;
}

async function parseFile(
  source: SshdConfigSource,
  file: string,
  text: string,
  depth: number,
  state: ParseState,
  result: ParsedSshdConfig,
): Promise<void> {
  if (!result.files.includes(file)) result.files.push(file);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const tok = tokenizeSshdLine(lines[i] as string);
    if (tok.kind === 'blank') continue;
    if (tok.kind === 'error') {
      result.warnings.push(`${file}:${lineNo}: ${tok.message} (sshd refuses to start with this line)`);
      continue;
    }
    const key = canonicalKeyword(tok.keyword);
    if (!isSshdKeyword(key)) {
      result.warnings.push(`${file}:${lineNo}: "${tok.keyword}" is not an sshd keyword (sshd refuses to start with this line)`);
      continue;
    }
    if (key === 'include') {
      await include(source, file, lineNo, tok.args, depth, state, result);
    } else if (key === 'match') {
      const criteria = tok.args.join(' ');
      if (criteria.toLowerCase() === 'all' && !state.neverMatch) {
        state.block = null;
        continue;
      }
      if (state.neverMatch) {
        result.warnings.push(`${file}:${lineNo}: Match in a file included from a Match block never applies`);
      }
      state.block = { criteria, file, line: lineNo, settings: {} };
      result.match_blocks.push(state.block);
    } else {
      assign(state.block ? state.block.settings : result.settings, key, tok.keyword, tok.args, file, lineNo);
    }
  }
}

async function include(
  source: SshdConfigSource,
  file: string,
  lineNo: number,
  args: string[],
  depth: number,
  state: ParseState,
  result: ParsedSshdConfig,
): Promise<void> {
  if (state.includesStopped) return;
  if (depth + 1 > MAX_INCLUDE_DEPTH) {
    result.warnings.push(`${file}:${lineNo}: includes nested deeper than ${MAX_INCLUDE_DEPTH} (sshd refuses to start)`);
    state.includesStopped = true;
    return;
  }
  for (const arg of args) {
    const pattern = arg.startsWith('/') || arg.startsWith('~') ? arg : path.posix.join(SSH_DIR, arg);
    const saved = { ...state };
    for (const match of await source.glob(pattern)) {
      if (state.includesStopped) return;
      if (++state.reads > MAX_INCLUDE_READS) {
        result.warnings.push(`${file}:${lineNo}: more than ${MAX_INCLUDE_READS} included files read; no further Include expanded`);
        state.includesStopped = true;
        return;
      }
      const text = await source.read(match);
      if (text === null) {
        result.warnings.push(`${file}:${lineNo}: included ${match} could not be read`);
        continue;
      }
      state.neverMatch = saved.neverMatch || saved.block !== null;
      await parseFile(source, match, text, depth + 1, state, result);
      // An included file never changes the Match scope of the file that includes it.
      state.block = saved.block;
      state.neverMatch = saved.neverMatch;
    }
  }
}

function assign(target: Record<string, SshdSetting>, key: string, keyword: string, args: string[], file: string, line: number): void {
  const value = args.join(' ');
  // Own keys only: a `constructor` line must not find Object's constructor and be dropped.
  const existing = Object.hasOwn(target, key) ? target[key] : undefined;
  if (!existing) {
    target[key] = ACCUMULATING.has(key) ? { keyword, value, args, values: [value], file, line } : { keyword, value, args, file, line };
  } else if (ACCUMULATING.has(key)) {
    existing.values = [...(existing.values ?? [existing.value]), value];
  }
}

/**
 * `sshd -T` output: one `keyword value...` per line, lower-case keywords; keywords that
 * take several lines (port, listenaddress, hostkey...) repeat.
 */
export function parseSshdTestOutput(text: string): Record<string, { value: string; values: string[] }> {
  const out: Record<string, { value: string; values: string[] }> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const sp = line.search(/\s/);
    const key = canonicalKeyword(sp === -1 ? line : line.slice(0, sp));
    if (!isSshdKeyword(key)) continue; // not sshd -T output; `__proto__` would reach Object's prototype
    const value = sp === -1 ? '' : line.slice(sp + 1).trim();
    const entry = Object.hasOwn(out, key) ? out[key] : undefined;
    if (entry) entry.values.push(value);
    else out[key] = { value, values: [value] };
  }
  return out;
}

/**
 * Keeps what sshd -T says (it knows defaults and version-specific canonical values) and
 * where the file set it, so evidence can still point at a file and line.
 */
export function mergeSshdTest(parsed: ParsedSshdConfig, test: ReturnType<typeof parseSshdTestOutput>): SshdConfigFact['settings'] {
  const settings: Record<string, SshdSetting> = {};
  for (const [key, { value, values }] of Object.entries(test)) {
    const fromFile = Object.hasOwn(parsed.settings, key) ? parsed.settings[key] : undefined;
    settings[key] = {
      keyword: fromFile?.keyword ?? key,
      value,
      args: value === '' ? [] : value.split(' '),
      ...(values.length > 1 || fromFile?.values ? { values } : {}),
      ...(fromFile?.file ? { file: fromFile.file, line: fromFile.line } : {}),
    };
  }
  return sortRecord(settings);
}
