import path from 'node:path';
import type { SysctlFact } from '@plumbline/protocol/facts';
import { sortRecord } from '../lib/order';

export interface SysctlLine {
  key: string;
  value: string;
  line: number;
}

/**
 * Slash-form keys (`net/ipv4/ip_forward`) become dot form; a dot inside a slash-form
 * component (a VLAN like `eth0.1`) becomes `/`, as sysctl(8) writes it.
 */
export function normalizeSysctlKey(key: string): string {
  if (!key.includes('/')) return key;
  return key.replace(/^\/+/, '').replace(/[./]/g, (c) => (c === '/' ? '.' : '/'));
}

/** The /proc/sys path of a dot-form key (the inverse of normalizeSysctlKey). */
export function procSysPath(key: string): string {
  return `/proc/sys/${key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'))}`;
}

/**
 * sysctl.d(5): `key = value`, comments start with # or ;. A leading `-` only says "ignore
 * a failure to set it", so it is stripped. `-key` without a value excludes the key from an
 * earlier glob and sets nothing.
 */
export function parseSysctlConf(text: string): { assignments: SysctlLine[]; warnings: string[] } {
  const assignments: SysctlLine[] = [];
  const warnings: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const eq = line.indexOf('=');
    if (eq === -1) {
      if (!line.startsWith('-')) warnings.push(`line ${i + 1}: no '=' in "${line.slice(0, 80)}"`);
      return;
    }
    const key = normalizeSysctlKey(line.slice(0, eq).trim().replace(/^-/, '').trim());
    if (key === '') {
      warnings.push(`line ${i + 1}: empty key`);
      return;
    }
    assignments.push({
      key,
      value: line
        .slice(eq + 1)
        .trim()
        .replace(/\s+/g, ' '),
      line: i + 1,
    });
  });
  return { assignments, warnings };
}

/** Applies files in order: the last assignment of a key wins and keeps the earlier ones as overridden. */
export function mergeSysctl(files: { file: string; assignments: SysctlLine[] }[]): SysctlFact['persisted'] {
  const out: SysctlFact['persisted'] = {};
  for (const { file, assignments } of files) {
    for (const a of assignments) {
      const prev = out[a.key];
      const overridden = prev ? [...prev.overridden, { file: prev.file, line: prev.line, value: prev.value }] : [];
      out[a.key] = { value: a.value, file, line: a.line, overridden };
    }
  }
  return sortRecord(out);
}

/**
 * A key we may turn into a /proc/sys path: no globs, and no empty or dot-only components,
 * so a crafted sysctl.d line cannot make us read (and report) a file outside /proc/sys.
 */
export function isPlainKey(key: string): boolean {
  const p = procSysPath(key);
  return !/[*?[]/.test(key) && path.posix.normalize(p) === p && !p.endsWith('/') && !p.split('/').includes('..');
}
