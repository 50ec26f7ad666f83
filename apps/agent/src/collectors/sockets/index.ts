import type { ListeningSocket } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { CollectorError } from '../lib/errors';
import { dpkgOwners } from './read-dpkg-owners';
import { parseProcNet, type SocketProtocol } from './parse';
import { tryReadText } from '../lib/root-fs';
import { findSocketOwners, type OwnerSearch } from './read-owners';
import { z } from 'zod';
import { readCache, writeCache } from '../lib/disk-cache';

const PROTOCOLS: SocketProtocol[] = ['tcp', 'tcp6', 'udp', 'udp6'];

export async function collect(ctx: CollectContext): Promise<ListeningSocket[]> {
  const found = [];
  let tablesRead = 0;
  for (const protocol of PROTOCOLS) {
    // A kernel without IPv6 has no tcp6/udp6: that is an empty table, not an error.
    const text = await tryReadText(ctx.root, `/proc/net/${protocol}`);
    if (text === null) continue;
    tablesRead++;
    found.push(...parseProcNet(text, protocol));
  }
  if (tablesRead === 0) {
    throw new CollectorError('PLUMBLINE_ERR_SOURCE_MISSING', '/proc/net/tcp does not exist', '/proc/net/tcp');
  }
  // On the live host, what the search found is kept for the next collecting process.
  const live = ctx.root === '/';
  const before = live ? keptSearch(await readCache<unknown>('socket-owners', SEARCH_FORMAT)) : null;
  const { owners, search } = await findSocketOwners(ctx.root, new Set(found.map((s) => s.inode)), before);
  if (live) {
    const kept = { places: [...search.places], unowned: search.unowned };
    if (!before || JSON.stringify(kept) !== JSON.stringify({ places: [...before.places], unowned: before.unowned })) {
      await writeCache('socket-owners', SEARCH_FORMAT, kept);
    }
  }
  const executables = new Set([...owners.values()].flatMap((o) => (o.executable ? [o.executable] : [])));
  const packages = await dpkgOwners(ctx.root, executables);
  const sockets = found.map((s): ListeningSocket => {
    const owner = owners.get(s.inode);
    return {
      ...s,
      pid: owner?.pid ?? null,
      process: owner?.process ?? null,
      executable: owner?.executable ?? null,
      unit: owner?.unit ?? null,
      package: owner?.executable ? (packages.get(owner.executable) ?? null) : null,
    };
  });
  return sockets.sort((a, b) => cmp(a.protocol, b.protocol) || a.port - b.port || cmp(a.address, b.address) || a.inode - b.inode);
}

/** Bump when what is kept of a search changes. */
const SEARCH_FORMAT = '1';

const pid = z.number().int().positive();
/** What the disk holds, as this code writes it (a damaged file only costs a full search). */
const KeptSearch = z.object({
  places: z.array(z.tuple([z.number().int(), z.tuple([pid, z.number().int().nonnegative()])])),
  unowned: z.object({ inodes: z.array(z.number().int()), pids: z.array(pid), fullSearchAt: z.number() }).nullable(),
});

function keptSearch(kept: unknown): OwnerSearch | null {
  const k = KeptSearch.safeParse(kept);
  return k.success ? { places: new Map(k.data.places), unowned: k.data.unowned } : null;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
