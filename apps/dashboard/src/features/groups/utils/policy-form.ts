import type { GroupItem } from '@plumbline/protocol/api';

/** The profiles the server ships; a group names one of them. */
export const PROFILES = [
  { id: 'cis-l1-server', label: 'CIS Level 1 server' },
  { id: 'cis-l2-server', label: 'CIS Level 2 server' },
  { id: 'edge-device', label: 'Edge device' },
] as const;

export const PROTOCOLS = ['tcp', 'tcp6', 'udp', 'udp6'] as const;
type Protocol = (typeof PROTOCOLS)[number];
type AllowedPort = GroupItem['allowedPorts'][number];
type Tailoring = GroupItem['tailoring'];

/** One editable row of the tailoring: every field a string, as inputs hold them. */
export interface TailoringRow {
  ruleId: string;
  enabled: boolean;
  /** A JSON object, e.g. {"max_tries": 3}; '' for none. */
  params: string;
}

export interface PortRow {
  port: string;
  protocol: '' | Protocol;
  address: string;
  process: string;
  comment: string;
}

export const EMPTY_PORT: PortRow = { port: '', protocol: '', address: '', process: '', comment: '' };

/** The MQTT broker role of the design: plain and TLS MQTT, and both over WebSocket. */
export const MQTT_BROKER_PORTS: PortRow[] = [
  { ...EMPTY_PORT, port: '1883', protocol: 'tcp', comment: 'MQTT' },
  { ...EMPTY_PORT, port: '8883', protocol: 'tcp', comment: 'MQTT over TLS' },
  { ...EMPTY_PORT, port: '8083', protocol: 'tcp', comment: 'MQTT over WebSocket' },
  { ...EMPTY_PORT, port: '8084', protocol: 'tcp', comment: 'MQTT over secure WebSocket' },
];

export function tailoringRows(tailoring: Tailoring): TailoringRow[] {
  return Object.entries(tailoring.rules ?? {}).map(([ruleId, t]) => ({
    ruleId,
    enabled: t.enabled !== false,
    params: t.params && Object.keys(t.params).length ? JSON.stringify(t.params) : '',
  }));
}

export function portRows(ports: AllowedPort[]): PortRow[] {
  return ports.map((p) => ({
    port: p.port === undefined ? '' : String(p.port),
    protocol: p.protocol ?? '',
    address: p.address ?? '',
    process: p.process ?? '',
    comment: p.comment ?? '',
  }));
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/**
 * Turns the rows into the PUT body. Only what the browser can know is checked here (JSON
 * syntax, port numbers, duplicates); rule ids and parameter names are the server's to judge.
 */
export function toPolicy(
  profileId: string,
  rules: TailoringRow[],
  ports: PortRow[],
): FormResult<Pick<GroupItem, 'profileId' | 'tailoring' | 'allowedPorts'>> {
  const errors: string[] = [];
  const tailored: NonNullable<Tailoring['rules']> = {};
  rules.forEach((row, i) => {
    const ruleId = row.ruleId.trim();
    if (!ruleId) {
      if (row.params.trim() || !row.enabled) errors.push(`tailoring row ${i + 1}: the rule id is missing`);
      return;
    }
    if (tailored[ruleId]) {
      errors.push(`tailoring: ${ruleId} is listed twice`);
      return;
    }
    const entry: { enabled?: boolean; params?: Record<string, unknown> } = {};
    if (!row.enabled) entry.enabled = false;
    if (row.params.trim()) {
      let params: unknown;
      try {
        params = JSON.parse(row.params);
      } catch {
        errors.push(`tailoring ${ruleId}: parameters are not valid JSON`);
        return;
      }
      if (!params || typeof params !== 'object' || Array.isArray(params)) {
        errors.push(`tailoring ${ruleId}: parameters are a JSON object, e.g. {"name": value}`);
        return;
      }
      entry.params = params as Record<string, unknown>;
    }
    tailored[ruleId] = entry;
  });

  const allowed: AllowedPort[] = [];
  ports.forEach((row, i) => {
    const blank = !row.port.trim() && !row.protocol && !row.address.trim() && !row.process.trim();
    if (blank) return;
    const entry: AllowedPort = {};
    if (row.port.trim()) {
      const port = Number(row.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        errors.push(`allowed port row ${i + 1}: ${row.port} is not a port number (0-65535)`);
        return;
      }
      entry.port = port;
    }
    if (row.protocol) entry.protocol = row.protocol;
    if (row.address.trim()) entry.address = row.address.trim();
    if (row.process.trim()) entry.process = row.process.trim();
    if (row.comment.trim()) entry.comment = row.comment.trim();
    allowed.push(entry);
  });

  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { profileId, tailoring: Object.keys(tailored).length ? { rules: tailored } : {}, allowedPorts: allowed } };
}

/** A group name the API accepts (the route's own pattern). */
export function groupNameProblem(name: string): string | null {
  if (!name.trim()) return 'Enter a group name.';
  if (name.length > 100) return 'A group name has at most 100 characters.';
  if (!/^[\w.-]+$/.test(name)) return 'Use letters, digits, dot, underscore and hyphen only.';
  return null;
}
