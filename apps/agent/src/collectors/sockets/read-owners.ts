import path from 'node:path';
import { listDir, readLinkUnderRoot, tryReadText } from '../lib/root-fs';
import { parseCgroupUnit } from './parse';

export interface SocketOwner {
  pid: number;
  process: string | null;
  executable: string | null;
  unit: string | null;
}

/** Where a socket was found: a process and one of its file descriptors. */
export type SocketPlace = [pid: number, fd: number];

/** What a search found, for the next one to start from (see findSocketOwners). */
export interface OwnerSearch {
  places: Map<number, SocketPlace>;
  /** Sockets no process was found holding, the processes that were searched, and when every process last was. */
  unowned: { inodes: number[]; pids: number[]; fullSearchAt: number } | null;
}

/** How long sockets nobody holds are searched for in new processes only, before every process is searched again. */
export const FULL_SEARCH_EVERY_MS = 10 * 60_000;

/**
 * Finds which process holds each socket inode by reading /proc/<pid>/fd links. When several
 * processes share a socket (a forking server), the lowest pid wins: usually the parent,
 * and stable from one collection to the next. Processes that exit or deny access mid-scan
 * are skipped, as `ss -p` does.
 *
 * Reading every descriptor of every process is most of a collection's file calls (a host
 * with a few hundred processes has thousands), and listeners stay put, so a search starts
 * from what the one `before` found:
 * - A socket that the same descriptor of the same process still links to is owned as
 *   before, for one readlink. The owner's name, executable and unit are read again (a
 *   server may re-execute itself and keep its socket).
 * - Sockets that no process held (a process in another namespace, or the kernel's own) are
 *   searched for in the processes started since, and in every process again once
 *   `FULL_SEARCH_EVERY_MS` has passed: a running process gets a socket it did not open only
 *   when another hands it over.
 * - Any other socket is searched for in every process.
 */
export async function findSocketOwners(
  root: string,
  inodes: ReadonlySet<number>,
  before: OwnerSearch | null = null,
  now = Date.now(),
): Promise<{ owners: Map<number, SocketOwner>; search: OwnerSearch }> {
  const places = new Map<number, SocketPlace>();
  for (const inode of inodes) {
    const place = before?.places.get(inode);
    if (place && (await readLinkUnderRoot(root, `/proc/${place[0]}/fd/${place[1]}`)) === `socket:[${inode}]`) places.set(inode, place);
  }
  let unowned: OwnerSearch['unowned'] = null;
  if (places.size < inodes.size) {
    const pids = (await listDir(root, '/proc').catch(() => []))
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .sort((a, b) => a - b);
    // The last search still stands for the processes it read when every socket left is one it did not find.
    const was = before?.unowned;
    const standing =
      was && now - was.fullSearchAt < FULL_SEARCH_EVERY_MS && [...inodes].every((i) => places.has(i) || was.inodes.includes(i))
        ? was
        : null;
    const searchedBefore = standing && new Set(standing.pids);
    for (const pid of pids) {
      if (places.size === inodes.size) break;
      if (searchedBefore?.has(pid)) continue;
      const fdDir = `/proc/${pid}/fd`;
      const fds = await listDir(root, fdDir).catch(() => [] as string[]);
      for (const fd of fds) {
        const target = await readLinkUnderRoot(root, path.posix.join(fdDir, fd));
        const m = target ? /^socket:\[(\d+)\]$/.exec(target) : null;
        const inode = m ? Number(m[1]) : NaN;
        if (inodes.has(inode) && !places.has(inode)) places.set(inode, [pid, Number(fd)]);
      }
    }
    const left = [...inodes].filter((i) => !places.has(i));
    if (left.length) unowned = { inodes: left, pids, fullSearchAt: standing ? standing.fullSearchAt : now };
  }
  const described = new Map<number, SocketOwner>();
  const owners = new Map<number, SocketOwner>();
  for (const [inode, [pid]] of places) {
    let owner = described.get(pid);
    if (!owner) described.set(pid, (owner = await describeProcess(root, pid)));
    owners.set(inode, owner);
  }
  return { owners, search: { places, unowned } };
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
