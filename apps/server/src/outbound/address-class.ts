import ipaddr from 'ipaddr.js';

/**
 * Which addresses an outbound request may reach. The ranges come from ipaddr.js, which keeps the
 * IANA special-purpose registries; what it leaves to us is the IPv6 forms that carry an IPv4
 * address (mapped, compatible, SIIT, NAT64, 6to4, Teredo): a request to one of those reaches
 * the IPv4 inside, so it is judged as that address, and the worst of the parts wins.
 */
export type Reach = 'public' | 'private' | 'refused';
export interface Verdict {
  reach: Reach;
  /** Why it is not public, naming the address (and the IPv4 inside it). */
  why: string;
}

/** Ranges that are someone's own network: reachable when private targets are allowed. */
const PRIVATE = new Set(['loopback', 'private', 'carrierGradeNat', 'uniqueLocal', 'deprecatedSiteLocal']);

const NAMES: Record<string, string> = {
  unspecified: 'an unspecified',
  broadcast: 'a broadcast',
  multicast: 'a multicast',
  linkLocal: 'a link-local',
  loopback: 'a loopback',
  private: 'a private',
  carrierGradeNat: 'a carrier-grade NAT (shared)',
  uniqueLocal: 'a unique-local',
  deprecatedSiteLocal: 'a site-local',
  reserved: 'a reserved or documentation',
  discard: 'a discard-only',
  benchmarking: 'a benchmarking',
};

const SEVERITY: Record<Reach, number> = { public: 0, private: 1, refused: 2 };

function byRange(range: string, address: string): Verdict {
  if (range === 'unicast') return { reach: 'public', why: '' };
  const name = NAMES[range] ?? `a special-purpose (${range})`;
  return { reach: PRIVATE.has(range) ? 'private' : 'refused', why: `${address} is ${name} address` };
}

function v4(hi: number, lo: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

/** The IPv4 addresses an IPv6 address carries, each with the name of the form, or none. */
function embedded(ip: ipaddr.IPv6, range: string): { via: string; ip: ipaddr.IPv4 }[] {
  const p = ip.parts as number[];
  const last = () => v4(p[6]!, p[7]!);
  if (p[0] === 0 && p[1] === 0 && p[2] === 0 && p[3] === 0 && p[4] === 0) {
    if (p[5] === 0xffff) return [{ via: 'IPv4-mapped', ip: last() }];
    if (p[5] === 0 && range !== 'unspecified' && range !== 'loopback') return [{ via: 'IPv4-compatible', ip: last() }];
  }
  switch (range) {
    case 'rfc6145':
      return [{ via: 'SIIT', ip: last() }];
    case 'rfc6052':
      return [{ via: 'NAT64', ip: last() }];
    case '6to4':
      return [{ via: '6to4', ip: v4(p[1]!, p[2]!) }];
    case 'teredo':
      // Server, then the client's public address, which Teredo stores inverted.
      return [
        { via: 'Teredo server', ip: v4(p[2]!, p[3]!) },
        { via: 'Teredo client', ip: v4(~p[6]! & 0xffff, ~p[7]! & 0xffff) },
      ];
    default:
      return [];
  }
}

/** Classifies one IP address (either family, as text). Anything that does not parse is refused. */
export function judgeAddress(address: string): Verdict {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return { reach: 'refused', why: `${address} is not an IP address` };
  }
  if (ip.kind() === 'ipv4') return byRange(ip.range(), address);
  const v6 = ip as ipaddr.IPv6;
  const range = v6.range();
  const inner = embedded(v6, range);
  if (inner.length === 0) {
    // The rest of ::/8 is reserved by the IETF; no host is reached through it.
    if ((v6.parts[0] ?? 0) < 0x100 && range === 'unicast') return { reach: 'refused', why: `${address} is a reserved address` };
    return byRange(range, address);
  }
  // The local-use NAT64 prefix (RFC 8215) is translated by a gateway on the local network.
  let worst: Verdict = v6.match(ipaddr.IPv6.parse('64:ff9b:1::'), 48)
    ? { reach: 'private', why: `${address} is in the local-use NAT64 prefix 64:ff9b:1::/48, a private network` }
    : { reach: 'public', why: '' };
  for (const { via, ip: four } of inner) {
    const verdict = byRange(four.range(), four.toString());
    if (SEVERITY[verdict.reach] >= SEVERITY[worst.reach] && verdict.reach !== 'public') {
      worst = {
        reach: verdict.reach,
        why: `${address} carries ${four.toString()} (${via}), ${verdict.why.slice(verdict.why.indexOf(' is ') + 4)}`,
      };
    }
  }
  return worst;
}
