import type { KernelModulesFact } from '@plumbline/protocol/facts';
import { sortRecord } from '../lib/order';

/** An install command that runs one of these makes `modprobe <module>` a no-op. */
const DISABLING_COMMANDS = new Set(['/bin/false', '/bin/true', '/usr/bin/false', '/usr/bin/true', 'false', 'true']);

/** modprobe treats `-` and `_` in module names as the same character. */
export function normalizeModuleName(name: string): string {
  return name.replace(/-/g, '_');
}

/** /proc/modules: the module name is the first field of each line. */
export function parseProcModules(text: string): string[] {
  const names = text
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean)
    .map(normalizeModuleName);
  return [...new Set(names)].sort();
}

export interface ModprobeDirective {
  kind: 'install' | 'blacklist';
  module: string;
  command: string | null;
  line: number;
}

/** modprobe.d(5): `install <module> <command...>` and `blacklist <module>`; `\` continues a line. */
export function parseModprobeConf(text: string): ModprobeDirective[] {
  const out: ModprobeDirective[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i] as string;
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + (lines[++i] as string);
    const words = line.trim().split(/\s+/);
    const [kind, mod] = words;
    if (!kind || kind.startsWith('#') || !mod) continue;
    if (kind === 'install' && words.length > 2) {
      out.push({ kind, module: normalizeModuleName(mod), command: words.slice(2).join(' '), line: start });
    } else if (kind === 'blacklist') {
      out.push({ kind, module: normalizeModuleName(mod), command: null, line: start });
    }
  }
  return out;
}

/** kmod keeps the first install command for a module; any blacklist line counts. */
export function mergeModprobe(files: { file: string; directives: ModprobeDirective[] }[]): KernelModulesFact['modprobe'] {
  const out: KernelModulesFact['modprobe'] = {};
  for (const { file, directives } of files) {
    for (const d of directives) {
      const entry = (out[d.module] ??= { install: null, disabled: false, blacklisted: false, file, line: d.line });
      if (d.kind === 'blacklist') entry.blacklisted = true;
      else if (entry.install === null && d.command !== null) {
        entry.install = d.command;
        entry.disabled = DISABLING_COMMANDS.has(d.command.split(/\s+/)[0] ?? '');
      }
    }
  }
  return sortRecord(out);
}
