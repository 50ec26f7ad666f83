import path from 'node:path';
import type { NetworkInterfacesFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { listDir, statUnderRoot, tryReadText } from '../lib/root-fs';

const SYS_NET = '/sys/class/net';
/** ARP hardware types (include/uapi/linux/if_arp.h) worth naming. */
const ARPHRD: Record<string, string> = {
  '1': 'ether',
  '772': 'loopback',
  '65534': 'none',
  '776': 'sit',
  '768': 'tunnel',
  '769': 'tunnel6',
  '280': 'can',
  '801': 'ieee80211',
  '803': 'ieee80211_radiotap',
  '32': 'infiniband',
  '519': 'ppp',
};

export function arphrdName(type: string | null): string | null {
  if (type === null) return null;
  return ARPHRD[type] ?? type;
}

export async function collect(ctx: CollectContext): Promise<NetworkInterfacesFact> {
  if (!ctx.live) return { interfaces: null, reason: 'interfaces are only read on a live host' };
  const interfaces: NonNullable<NetworkInterfacesFact['interfaces']> = [];
  for (const name of await listDir(ctx.root, SYS_NET)) {
    const dir = path.posix.join(SYS_NET, name);
    const read = async (f: string) => (await tryReadText(ctx.root, path.posix.join(dir, f)).catch(() => null))?.trim() ?? null;
    interfaces.push({
      name,
      operstate: await read('operstate'),
      type: arphrdName(await read('type')),
      wireless:
        (await statUnderRoot(ctx.root, path.posix.join(dir, 'wireless')).catch(() => null)) !== null ||
        (await statUnderRoot(ctx.root, path.posix.join(dir, 'phy80211')).catch(() => null)) !== null,
      virtual: (await statUnderRoot(ctx.root, path.posix.join(dir, 'device')).catch(() => null)) === null,
    });
  }
  return { interfaces, reason: null };
}
