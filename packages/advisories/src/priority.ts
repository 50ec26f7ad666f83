/** How reachable a vulnerable package is on its host, most reachable first. */
export type Exposure = 'network' | 'service' | 'installed' | 'not_running';

export interface ExposureFacts {
  /** `listening_sockets` entries (address, port, protocol, owning package, unit). */
  sockets: { protocol: string; address: string; port: number; package: string | null; unit: string | null }[];
  /** `services` units. */
  units: { unit: string; enabled_state: string | null; active_state: string | null }[];
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

export interface ExposureResult {
  exposure: Exposure;
  /** `address:port/protocol` of every non-loopback listener the packages own, sorted. */
  listeners: string[];
}

/**
 * Exposure of a finding from the host's own facts: one of its binary packages owns a process
 * listening beyond loopback (`network`, with where), or runs as a service (owns a listener on
 * loopback under a unit, or a `.service` unit named after the package is enabled or active),
 * or it is only installed. Kernel packages not running are `not_running` whatever else holds.
 */
export function exposureOf(packages: string[], facts: ExposureFacts, kernel: 'running' | 'not_running' | null): ExposureResult {
  if (kernel === 'not_running') return { exposure: 'not_running', listeners: [] };
  if (kernel === 'running') return { exposure: 'service', listeners: [] };
  const names = new Set(packages);
  const listeners = new Set<string>();
  let service = false;
  for (const s of facts.sockets) {
    if (!s.package || !names.has(s.package)) continue;
    if (LOOPBACK.test(s.address)) service ||= s.unit !== null;
    else listeners.add(`${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port}/${s.protocol}`);
  }
  if (listeners.size) return { exposure: 'network', listeners: [...listeners].sort() };
  if (!service) {
    const bases = new Set([...names].flatMap((n) => [n, n.replace(/-(server|daemon|bin)$/, '')]));
    service = facts.units.some(
      (u) =>
        u.unit.endsWith('.service') &&
        bases.has(u.unit.slice(0, -'.service'.length)) &&
        (u.enabled_state === 'enabled' || u.active_state === 'active'),
    );
  }
  return { exposure: service ? 'service' : 'installed', listeners: [] };
}

/** A CVSS-like 0-10 figure from a distribution's own rating when no CVSS score is known. */
const RATING: Record<string, number> = {
  unimportant: 1,
  negligible: 1,
  low: 3,
  medium: 5,
  moderate: 5,
  'not yet assigned': 5,
  high: 7.5,
  important: 7.5,
  critical: 9.5,
};

export interface PriorityInput {
  cvss: number | null;
  severity: string | null;
  epss: number | null;
  kev: boolean;
  exposure: Exposure;
}

/**
 * Priority 0-100: severity (CVSS, else the distribution's rating) up to 40, exploitation
 * likelihood (EPSS probability) up to 15, known exploited (KEV) 15, exposure up to 30
 * (network 30, service 15, installed 0). A kernel that is not running is 0: it cannot be hit.
 */
export function priorityOf(p: PriorityInput): number {
  if (p.exposure === 'not_running') return 0;
  const base = p.cvss ?? RATING[(p.severity ?? '').toLowerCase()] ?? 5;
  const exposure = p.exposure === 'network' ? 30 : p.exposure === 'service' ? 15 : 0;
  return Math.round(Math.min(10, Math.max(0, base)) * 4 + Math.min(1, Math.max(0, p.epss ?? 0)) * 15 + (p.kev ? 15 : 0) + exposure);
}

/** The band a priority falls in, for lists and filters. */
export function priorityBand(priority: number): 'critical' | 'high' | 'medium' | 'low' {
  return priority >= 70 ? 'critical' : priority >= 50 ? 'high' : priority >= 30 ? 'medium' : 'low';
}
