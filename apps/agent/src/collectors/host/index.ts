import os from 'node:os';
import { open } from 'node:fs/promises';
import type { HostFact } from '@plumbline/protocol/facts';
import { CollectorError } from '../lib/errors';
import { readCache, writeCache } from '../lib/disk-cache';
import { runCommand } from '../lib/exec';
import { resolveUnderRoot, readText, tryReadText } from '../lib/root-fs';
import type { CollectContext } from '../lib/context';
import { parseOsRelease, parseHostnameFile, parseElfMachine, virtualizationFromDmi } from './parse';

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

/**
 * What the machine runs on, found once a boot: it cannot change while the machine is up, and
 * `systemd-detect-virt` is a process of its own (about 10 ms of CPU) in every collection.
 */
async function virtualization(ctx: CollectContext): Promise<string | null> {
  const boot = (await tryReadText('/', '/proc/sys/kernel/random/boot_id').catch(() => null))?.trim();
  const kept = boot ? await readCache<unknown>('virtualization', boot) : null;
  if (typeof kept === 'string' && kept) return kept;
  const found = await detectVirtualization(ctx);
  if (boot && found) await writeCache('virtualization', boot, found);
  return found;
}

async function detectVirtualization(ctx: CollectContext): Promise<string | null> {
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
