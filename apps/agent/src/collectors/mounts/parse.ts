import type { MountEntry, MountsFact } from '@plumbline/protocol/facts';
import { parseIni } from '../lib/kv-files';

/** What systemd mounts on /dev/shm when nothing else does (mount-setup.c). */
const SHM_DEFAULT = ['rw', 'nosuid', 'nodev'];

/** fstab and /proc/mounts escape blanks and backslashes as octal (`\040`). */
export function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** fstab(5) / /proc/mounts lines: device, mount point, type, options, [dump, pass]. */
export function parseMountTable(text: string, file: string): (MountEntry & { dump: number; pass: number })[] {
  const out: (MountEntry & { dump: number; pass: number })[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const f = line.split(/\s+/);
    if (f.length < 3) return;
    out.push({
      device: unescapeMountField(f[0] as string),
      mount_point: unescapeMountField(f[1] as string),
      fstype: f[2] as string,
      options: (f[3] ?? 'defaults').split(',').filter(Boolean),
      file,
      line: i + 1,
      dump: Number(f[4] ?? 0) || 0,
      pass: Number(f[5] ?? 0) || 0,
    });
  });
  return out;
}

/** `Options=` of a mount unit's [Mount] section. */
export function mountUnitOptions(text: string): string[] {
  const opt = parseIni(text)
    .filter((e) => e.section === 'Mount' && e.key === 'Options')
    .at(-1);
  return opt ? opt.value.split(',').filter(Boolean) : [];
}

const isBind = (options: string[]) => options.includes('bind') || options.includes('rbind');

export function describePath(
  p: string,
  mounted: MountEntry[] | null,
  fstab: MountEntry[],
  tmpMount: MountsFact['tmp_mount'],
): MountsFact['paths'][string] {
  const none = { mounted: false, separate_partition: false, fstype: null, options: [], source: null, file: null, line: null };
  if (mounted) {
    const m = mounted.filter((e) => e.mount_point === p).at(-1);
    if (!m) return none;
    return {
      mounted: true,
      separate_partition: !isBind(m.options),
      fstype: m.fstype,
      options: m.options,
      source: 'proc',
      file: m.file,
      line: m.line,
    };
  }
  const f = fstab.filter((e) => e.mount_point === p && e.fstype !== 'swap').at(-1);
  if (f) {
    return {
      mounted: !f.options.includes('noauto'),
      separate_partition: !isBind(f.options),
      fstype: f.fstype,
      options: f.options,
      source: 'fstab',
      file: f.file,
      line: f.line,
    };
  }
  if (p === '/tmp' && tmpMount && (tmpMount.enabled_state.startsWith('enabled') || tmpMount.wanted_by_vendor)) {
    return {
      mounted: true,
      separate_partition: true,
      fstype: 'tmpfs',
      options: tmpMount.options,
      source: 'tmp.mount',
      file: tmpMount.file,
      line: null,
    };
  }
  if (p === '/dev/shm')
    return { ...none, mounted: true, separate_partition: true, fstype: 'tmpfs', options: SHM_DEFAULT, source: 'default' };
  return none;
}
