import path from 'node:path';
import type { KernelCmdline } from '@plumbline/protocol/facts';
import type { CollectContext } from './context';
import { parseShellVars, type KeyValue } from './kv-files';
import { listDir, tryReadText } from './root-fs';

const GRUB_DEFAULT = '/etc/default/grub';
const GRUB_D = '/etc/default/grub.d';

/** Whitespace-separated arguments; double quotes group (`a="b c"`), as the kernel splits them. */
export function splitCmdline(text: string): string[] {
  return (text.trim().match(/(?:[^\s"]+|"[^"]*")+/g) ?? []).filter(Boolean);
}

/** What grub-mkconfig puts on the `linux` line: GRUB_CMDLINE_LINUX, then GRUB_CMDLINE_LINUX_DEFAULT. */
export function grubArgs(vars: Record<string, KeyValue>): string[] {
  return [...splitCmdline(vars.GRUB_CMDLINE_LINUX?.value ?? ''), ...splitCmdline(vars.GRUB_CMDLINE_LINUX_DEFAULT?.value ?? '')];
}

/** The value of the last `name=` argument (the kernel lets the last one win), or null; a bare `name` gives ''. */
export function cmdlineParam(args: string[], name: string): string | null {
  let out: string | null = null;
  for (const a of args) {
    if (a === name) out = '';
    else if (a.startsWith(`${name}=`)) out = a.slice(name.length + 1);
  }
  return out;
}

/**
 * Live: /proc/cmdline. Under --root: a proc/cmdline snapshot in the tree if there is one,
 * else /etc/default/grub with the grub.d/*.cfg files grub-mkconfig sources after it.
 */
export async function readKernelCmdline(ctx: CollectContext): Promise<KernelCmdline> {
  const proc = await tryReadText(ctx.root, '/proc/cmdline').catch(() => null);
  if (proc !== null) return { source: '/proc/cmdline', files: ['/proc/cmdline'], args: splitCmdline(proc) };
  const main = await tryReadText(ctx.root, GRUB_DEFAULT).catch(() => null);
  const files: string[] = [];
  let vars: Record<string, KeyValue> = {};
  if (main !== null) {
    files.push(GRUB_DEFAULT);
    vars = parseShellVars(main);
  }
  for (const name of await listDir(ctx.root, GRUB_D)) {
    if (!name.endsWith('.cfg')) continue;
    const file = path.posix.join(GRUB_D, name);
    const text = await tryReadText(ctx.root, file).catch(() => null);
    if (text === null) continue;
    files.push(file);
    vars = parseShellVars(text, vars);
  }
  if (files.length === 0) return { source: null, files: [], args: [] };
  return { source: GRUB_DEFAULT, files, args: grubArgs(vars) };
}
