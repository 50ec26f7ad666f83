import type { KernelModulesFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { listConfFiles } from '../lib/conf-dirs';
import { tryReadText } from '../lib/root-fs';
import { parseProcModules, type ModprobeDirective, parseModprobeConf, mergeModprobe } from './parse';

export const MODPROBE_DIRS = ['/etc/modprobe.d', '/run/modprobe.d', '/usr/local/lib/modprobe.d', '/usr/lib/modprobe.d', '/lib/modprobe.d'];

export async function collect(ctx: CollectContext): Promise<KernelModulesFact> {
  const set = await listConfFiles(ctx.root, MODPROBE_DIRS);
  const files: { file: string; directives: ModprobeDirective[] }[] = [];
  for (const file of set.files) {
    const text = await tryReadText(ctx.root, file).catch(() => null);
    if (text !== null) files.push({ file, directives: parseModprobeConf(text) });
  }
  const modules = await tryReadText(ctx.root, '/proc/modules');
  return {
    loaded: modules === null ? null : parseProcModules(modules),
    modprobe: mergeModprobe(files),
    files: files.map((f) => f.file),
    masked_files: set.masked,
  };
}
