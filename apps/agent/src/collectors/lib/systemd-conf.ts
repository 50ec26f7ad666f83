import type { LoggingFact } from '@plumbline/protocol/facts';
import { listConfFiles } from './conf-dirs';
import type { CollectContext } from './context';
import { parseIni } from './kv-files';
import { tryReadText } from './root-fs';
import { sortRecord } from './order';

/** A setting read from a file, with where it was set. */
export type Setting = LoggingFact['journald']['settings'][string];

/** Applies systemd INI files in order; the last assignment of a key in `section` wins. */
export function mergeIni(files: { file: string; text: string }[], section: string): Record<string, Setting> {
  const out: Record<string, Setting> = {};
  for (const { file, text } of files) {
    for (const e of parseIni(text)) if (e.section === section) out[e.key] = { value: e.value, file, line: e.line };
  }
  return sortRecord(out);
}

/** The main file (the first that exists), then drop-ins in systemd's order. */
export async function readSystemdConf(ctx: CollectContext, mains: string[], dirs: string[]): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  for (const m of mains) {
    const text = await tryReadText(ctx.root, m).catch(() => null);
    if (text !== null) {
      out.push({ file: m, text });
      break;
    }
  }
  for (const file of (await listConfFiles(ctx.root, dirs)).files) {
    const text = await tryReadText(ctx.root, file).catch(() => null);
    if (text !== null) out.push({ file, text });
  }
  return out;
}
