import type { ListeningSocket } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { CollectorError } from '../lib/errors';
import { dpkgOwners } from './read-dpkg-owners';
import { parseProcNet, type SocketProtocol } from './parse';
import { tryReadText } from '../lib/root-fs';
import { findSocketOwners } from './read-owners';

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
  const owners = await findSocketOwners(ctx.root, new Set(found.map((s) => s.inode)));
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

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
