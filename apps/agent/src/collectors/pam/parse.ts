import path from 'node:path';
import type { PamEntry, PasswordPolicyFact } from '@plumbline/protocol/facts';
import { parseKeyValueConf } from '../lib/kv-files';
import { sortRecord } from '../lib/order';

export type Setting = PasswordPolicyFact['pwquality']['settings'][string];
const HASHES = ['yescrypt', 'gost_yescrypt', 'sha512', 'sha256', 'blowfish', 'bigcrypt', 'md5'];

/** Splits on blanks, keeping `[...]` groups (control values, bracketed arguments) whole. */
function words(s: string): string[] {
  return s.match(/\[(?:\\.|[^\]])*\]|\S+/g) ?? [];
}

/** pam.d(5): `type control module args...`, `-type` for optional modules, `@include file`, `\` continuation. */
export function parsePamFile(text: string, file: string): PamEntry[] {
  const out: PamEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let l = (lines[i] as string).replace(/\r$/, '');
    while (l.endsWith('\\') && i + 1 < lines.length) l = `${l.slice(0, -1)} ${lines[++i] as string}`;
    l = l.replace(/#.*$/, '').trim();
    if (l === '') continue;
    const w = words(l);
    if (w[0] === '@include') {
      out.push({ type: '@include', control: '', module: w[1] ?? '', args: [], optional: false, file, line: start });
      continue;
    }
    if (w.length < 3) continue;
    const optional = (w[0] as string).startsWith('-');
    out.push({
      type: (w[0] as string).replace(/^-/, '').toLowerCase(),
      control: w[1] as string,
      module: w[2] as string,
      args: w.slice(3),
      optional,
      file,
      line: start,
    });
  }
  return out;
}

const moduleIs = (e: PamEntry, name: string) => path.posix.basename(e.module) === `${name}.so`;

/** pam_faillock's mode words say which step a line is, not how the module is configured. */
const MODE_WORDS = new Set(['preauth', 'authfail', 'authsucc']);

/** Module arguments as settings: `key=value` and bare flags (value ''). */
function argSettings(entries: PamEntry[]): Record<string, Setting> {
  const out: Record<string, Setting> = {};
  for (const e of entries) {
    for (const a of e.args.filter((x) => !MODE_WORDS.has(x))) {
      const eq = a.indexOf('=');
      out[eq === -1 ? a : a.slice(0, eq)] = { value: eq === -1 ? '' : a.slice(eq + 1), file: e.file, line: e.line };
    }
  }
  return out;
}

export function confSettings(text: string | null, file: string): Record<string, Setting> {
  return Object.fromEntries(Object.values(parseKeyValueConf(text ?? '')).map((kv) => [kv.key, { value: kv.value, file, line: kv.line }]));
}

/** The lines of one module in the first file that uses it (console and remote stacks may differ; the first is reported). */
function firstFileLines(entries: PamEntry[], modules: string[], type: string): PamEntry[] {
  const hits = entries.filter((e) => e.type === type && modules.some((m) => moduleIs(e, m)));
  const first = hits[0];
  return first ? hits.filter((e) => e.file === first.file) : [];
}

export interface ModuleConfigs {
  pwquality: Record<string, Setting>;
  faillock: Record<string, Setting>;
  pwhistory: Record<string, Setting>;
}

export function derivePolicy(entries: PamEntry[], conf: ModuleConfigs): PasswordPolicyFact {
  const pwq = firstFileLines(entries, ['pam_pwquality', 'pam_cracklib'], 'password');
  const fl = firstFileLines(entries, ['pam_faillock'], 'auth');
  const hist = firstFileLines(entries, ['pam_pwhistory'], 'password');
  const unix = firstFileLines(entries, ['pam_unix'], 'password');
  const faillock = { ...conf.faillock, ...argSettings(fl) };
  const pwhistory = { ...conf.pwhistory, ...argSettings(hist) };
  const unixArgs = argSettings(unix);
  const hash = HASHES.find((h) => h in unixArgs);
  const wheel = entries.find((e) => e.file === '/etc/pam.d/su' && e.type === 'auth' && moduleIs(e, 'pam_wheel'));
  const group = wheel?.args.find((a) => a.startsWith('group='));
  return {
    pwquality: { enabled: pwq.length > 0, settings: sortRecord({ ...conf.pwquality, ...argSettings(pwq) }) },
    faillock: {
      enabled: fl.length > 0,
      deny: faillock.deny ?? null,
      unlock_time: faillock.unlock_time ?? null,
      settings: sortRecord(faillock),
    },
    pwhistory: { enabled: hist.length > 0, remember: pwhistory.remember ?? null, settings: sortRecord(pwhistory) },
    unix: {
      hashing: hash ? { ...(unixArgs[hash] as Setting), value: hash } : null,
      remember: unixArgs.remember ?? null,
      nullok: entries.filter((e) => moduleIs(e, 'pam_unix') && e.args.includes('nullok')).map((e) => ({ file: e.file, line: e.line })),
    },
    su_wheel: {
      enabled: wheel !== undefined,
      group: group ? group.slice('group='.length) : null,
      file: wheel?.file ?? null,
      line: wheel?.line ?? null,
    },
  };
}
