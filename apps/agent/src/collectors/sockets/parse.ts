import type { ListeningSocket } from '@plumbline/protocol/facts';

export type SocketProtocol = ListeningSocket['protocol'];

export interface ProcNetSocket {
  protocol: SocketProtocol;
  address: string;
  port: number;
  inode: number;
  uid: number | null;
}

const TCP_LISTEN = '0A';
const UDP_UNCONNECTED = '07'; // TCP_CLOSE: a bound UDP socket nobody connect()ed

/**
 * /proc/net/{tcp,tcp6,udp,udp6}: keeps TCP sockets in LISTEN and UDP sockets that are bound
 * but not connected (what `ss -l` calls listening). Duplicates (same protocol, address,
 * port, inode) collapse to one.
 */
export function parseProcNet(text: string, protocol: SocketProtocol): ProcNetSocket[] {
  const seen = new Set<string>();
  const out: ProcNetSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [local, remote, state, , , , uid, , inode] = f.slice(1) as string[];
    const isTcp = protocol.startsWith('tcp');
    if (isTcp ? state !== TCP_LISTEN : state !== UDP_UNCONNECTED || !/^[0:]+$/.test(remote ?? '')) continue;
    const [addrHex, portHex] = (local ?? '').split(':');
    if (!addrHex || !portHex) continue;
    const address = decodeHexAddress(addrHex);
    const port = Number.parseInt(portHex, 16);
    const ino = Number(inode);
    if (address === null || !Number.isInteger(port) || !Number.isSafeInteger(ino)) continue;
    const key = `${address}|${port}|${ino}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const uidNum = Number(uid);
    out.push({ protocol, address, port, inode: ino, uid: Number.isSafeInteger(uidNum) && uidNum >= 0 ? uidNum : null });
  }
  return out;
}

/**
 * The kernel prints addresses as 32-bit words in host byte order, i.e. little-endian on
 * every platform we support: 0100007F is 127.0.0.1.
 */
export function decodeHexAddress(hex: string): string | null {
  if (!/^[0-9A-Fa-f]+$/.test(hex) || (hex.length !== 8 && hex.length !== 32)) return null;
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = hex.slice(w, w + 8);
    for (let b = 6; b >= 0; b -= 2) bytes.push(Number.parseInt(word.slice(b, b + 2), 16));
  }
  return bytes.length === 4 ? bytes.join('.') : formatIPv6(bytes);
}

/** RFC 5952 text form: lower-case, longest zero run (>= 2 groups) as `::`, v4-mapped dotted. */
export function formatIPv6(bytes: number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/**
 * The systemd unit of a process from /proc/<pid>/cgroup: the deepest .service, .socket or
 * .scope in the unified (0::) or name=systemd hierarchy, so a service's delegated
 * sub-cgroups still name the service.
 */
export function parseCgroupUnit(text: string): string | null {
  let chosen: string | null = null;
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[2] === '' || m[2] === 'name=systemd') {
      if (chosen === null || m[2] === '') chosen = m[3] as string;
    }
  }
  if (chosen === null) return null;
  const unit = chosen
    .split('/')
    .filter((s) => /\.(service|socket|scope)$/.test(s))
    .pop();
  return unit ?? null;
}
