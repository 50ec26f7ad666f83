import path from 'node:path';
import { listDir, readLinkUnderRoot, tryReadText } from '../lib/root-fs';
import { parseCgroupUnit } from './parse';

export interface SocketOwner {
  pid: number;
  process: string | null;
  executable: string | null;
  unit: string | null;
}

/**
 * Finds which process holds each socket inode by reading /proc/<pid>/fd links. When several
 * processes share a socket (a forking server), the lowest pid wins: usually the parent,
 * and stable from one collection to the next. Processes that exit or deny access mid-scan
 * are skipped, as `ss -p` does.
 */
export async function findSocketOwners(root: string, inodes: ReadonlySet<number>): Promise<Map<number, SocketOwner>> {
  const owners = new Map<number, SocketOwner>();
  if (inodes.size === 0) return owners;
  const pids = (await listDir(root, '/proc').catch(() => []))
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
  for (const pid of pids) {
    if (owners.size === inodes.size) break;
    const fdDir = `/proc/${pid}/fd`;
    const fds = await listDir(root, fdDir).catch(() => [] as string[]);
    const mine: number[] = [];
    for (const fd of fds) {
      const target = await readLinkUnderRoot(root, path.posix.join(fdDir, fd));
      const m = target ? /^socket:\[(\d+)\]$/.exec(target) : null;
      const inode = m ? Number(m[1]) : NaN;
      if (inodes.has(inode) && !owners.has(inode)) mine.push(inode);
    }
    if (mine.length === 0) continue;
    const owner = await describeProcess(root, pid);
    for (const inode of mine) owners.set(inode, owner);
  }
  return owners;
}

async function describeProcess(root: string, pid: number): Promise<SocketOwner> {
  const base = `/proc/${pid}`;
  const comm = await tryReadText(root, `${base}/comm`).catch(() => null);
  const exe = await readLinkUnderRoot(root, `${base}/exe`);
  const cgroup = await tryReadText(root, `${base}/cgroup`).catch(() => null);
  return {
    pid,
    process: comm?.replace(/\n$/, '') || null,
    // An upgraded binary still running shows as "/usr/sbin/x (deleted)"; the package is the same.
    executable: exe ? exe.replace(/ \(deleted\)$/, '') : null,
    unit: cgroup ? parseCgroupUnit(cgroup) : null,
  };
}
