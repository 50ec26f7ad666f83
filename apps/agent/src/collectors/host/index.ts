import os from 'node:os';
import { open } from 'node:fs/promises';
import type { HostFact } from '@plumbline/protocol/facts';
import { CollectorError } from '../lib/errors';
import { runCommand } from '../lib/exec';
import { resolveUnderRoot, readText, tryReadText } from '../lib/root-fs';
import type { CollectContext } from '../lib/context';

/**
 * os-release(5) is a shell-compatible assignment list: values may be double-quoted (with
 * \\ \" \$ \` escapes), single-quoted (literal), or bare with backslash escapes.
 */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    out[m[1] as string] = unquoteShellWord(m[2] as string);
  }
  return out;
}

function unquoteShellWord(s: string): string {
  let out = '';
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (quote === "'") {
      if (c === "'") quote = null;
      else out += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < s.length && '\\"$`'.includes(s[i + 1] as string)) out += s[++i];
      else out += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '\\' && i + 1 < s.length) out += s[++i];
    else if (c === '#' || /\s/.test(c)) break; // an unquoted word ends here, the rest is a comment
    else out += c;
  }
  return out;
}

/** hostname(5): the first line that is neither empty nor a comment. */
export function parseHostnameFile(text: string): string | null {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line !== '' && !line.startsWith('#')) return line;
  }
  return null;
}

/** uname -m names for ELF e_machine values we expect on servers and edge devices. */
const ELF_MACHINES: Record<number, string> = {
  0x03: 'i686',
  0x08: 'mips',
  0x14: 'ppc',
  0x15: 'ppc64',
  0x16: 's390x',
  0x28: 'armv7l',
  0x3e: 'x86_64',
  0xb7: 'aarch64',
  0xf3: 'riscv64',
  0x102: 'loongarch64',
};

/** Reads the architecture of a tree from its shell binary's ELF header (no execution). */
export function parseElfMachine(header: Buffer): string | null {
  if (header.length < 20 || header.readUInt32BE(0) !== 0x7f454c46) return null;
  const littleEndian = header[5] === 1;
  const machine = littleEndian ? header.readUInt16LE(18) : header.readUInt16BE(18);
  if (machine === 0x15 && littleEndian) return 'ppc64le';
  return ELF_MACHINES[machine] ?? null;
}

/** DMI vendor strings to systemd-detect-virt's names, for hosts without systemd. */
const DMI_VENDORS: [RegExp, string][] = [
  [/^QEMU/i, 'qemu'],
  [/^VMware/i, 'vmware'],
  [/^Microsoft Corporation/i, 'microsoft'],
  [/^innotek GmbH/i, 'oracle'],
  [/^Xen/i, 'xen'],
  [/^Amazon EC2/i, 'amazon'],
  [/^Google/i, 'google'],
  [/^Parallels/i, 'parallels'],
  [/^(Bochs|KVM)/i, 'kvm'],
];

export function virtualizationFromDmi(sysVendor: string): string | null {
  const v = sysVendor.trim();
  return DMI_VENDORS.find(([re]) => re.test(v))?.[1] ?? null;
}

export async function collect(ctx: CollectContext): Promise<HostFact> {
  const osRelease = parseOsRelease(
    (await tryReadText(ctx.root, '/etc/os-release')) ?? (await tryReadText(ctx.root, '/usr/lib/os-release')) ?? '',
  );
  return {
    hostname: await hostname(ctx),
    machine_id: await machineId(ctx),
    os: {
      id: osRelease.ID ?? null,
      id_like: (osRelease.ID_LIKE ?? '').split(/\s+/).filter(Boolean),
      name: osRelease.NAME ?? null,
      version_id: osRelease.VERSION_ID ?? null,
      version_codename: osRelease.VERSION_CODENAME ?? null,
      pretty_name: osRelease.PRETTY_NAME ?? null,
    },
    kernel: {
      release: await firstLine(ctx.root, '/proc/sys/kernel/osrelease'),
      version: await firstLine(ctx.root, '/proc/sys/kernel/version'),
    },
    arch: ctx.live ? os.machine() : await archFromTree(ctx.root),
    boot_time: ctx.live ? await bootTime() : null,
    virtualization: ctx.live ? await virtualization(ctx) : null,
  };
}

async function hostname(ctx: CollectContext): Promise<string> {
  if (ctx.live) return os.hostname();
  const text = await readText(ctx.root, '/etc/hostname');
  const name = parseHostnameFile(text);
  if (!name) throw new CollectorError('PLUMBLINE_ERR_PARSE', '/etc/hostname holds no hostname', '/etc/hostname');
  return name;
}

async function machineId(ctx: CollectContext): Promise<string | null> {
  for (const p of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    const id = (await tryReadText(ctx.root, p))?.trim();
    // "uninitialized" and empty files are how images say "not yet assigned".
    if (id && /^[0-9a-f]{32}$/i.test(id)) return id.toLowerCase();
  }
  return null;
}

/** Under --root this reads root/proc only if someone put a snapshot of it there. */
async function firstLine(root: string, p: string): Promise<string | null> {
  const text = await tryReadText(root, p);
  return text?.split('\n')[0]?.trim() || null;
}

async function archFromTree(root: string): Promise<string | null> {
  for (const p of ['/bin/sh', '/usr/bin/env']) {
    try {
      const fh = await open(await resolveUnderRoot(root, p), 'r');
      try {
        const buf = Buffer.alloc(20);
        await fh.read(buf, 0, 20, 0);
        const arch = parseElfMachine(buf);
        if (arch) return arch;
      } finally {
        await fh.close();
      }
    } catch {
      // absent or unreadable: try the next candidate
    }
  }
  return null;
}

/**
 * When the kernel booted (`btime` in /proc/stat). Unlike the uptime it stays the same
 * from one collection to the next, so an idle host's facts keep their digest.
 */
async function bootTime(): Promise<string | null> {
  const text = await tryReadText('/', '/proc/stat');
  const m = /^btime\s+(\d+)$/m.exec(text ?? '');
  return m ? new Date(Number(m[1]) * 1000).toISOString() : null;
}

async function virtualization(ctx: CollectContext): Promise<string | null> {
  try {
    // Exit status 1 with "none" means bare metal, which is an answer, not a failure.
    const { stdout } = await runCommand('systemd-detect-virt', [], { timeoutMs: 3000 });
    const name = stdout.trim();
    if (name) return name;
  } catch (err) {
    ctx.log.debug({ err }, 'systemd-detect-virt unavailable, using DMI');
  }
  const vendor = await tryReadText('/', '/sys/class/dmi/id/sys_vendor').catch(() => null);
  return vendor ? virtualizationFromDmi(vendor) : null;
}
