import type { InetdService } from '@plumbline/protocol/facts';
const TYPES = ['service', 'socket', 'timer'];
export const isReported = (unit: string) => TYPES.some((t) => unit.endsWith(`.${t}`));

/** Drops the status bullet some systemctl versions print even with --plain. */
function fields(line: string): string[] {
  return line
    .trim()
    .replace(/^[●*×]\s*/, '')
    .split(/\s+/);
}

/** `systemctl list-unit-files --no-legend`: UNIT STATE [PRESET]. */
export function parseListUnitFiles(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [unit, state] = fields(line);
    if (unit && state && isReported(unit)) out.set(unit, state);
  }
  return out;
}

/** `systemctl list-units --all --no-legend --plain`: UNIT LOAD ACTIVE SUB DESCRIPTION... Units systemd could not find are left out. */
export function parseListUnits(text: string): Map<string, { active: string; sub: string }> {
  const out = new Map<string, { active: string; sub: string }>();
  for (const line of text.split('\n')) {
    const [unit, load, active, sub] = fields(line);
    if (!unit || !sub || !active || load === 'not-found' || !isReported(unit)) continue;
    out.set(unit, { active, sub });
  }
  return out;
}

/** `S01xinetd` in an rc?.d directory: a start link, and the script name it starts. */
export function startLinkName(link: string): string | null {
  return /^S\d\d(.+)$/.exec(link)?.[1] ?? null;
}

/** /etc/inetd.conf: `service socktype proto wait user server args`; update-inetd comments a disabled line out as `#<off># `. */
export function parseInetdConf(text: string, file: string): InetdService[] {
  const out: InetdService[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const off = /^#<off>#\s*(.*)$/.exec(line);
    const body = off ? (off[1] as string) : line;
    if (!body || body.startsWith('#')) return;
    const f = body.split(/\s+/);
    // A service line has at least the six fixed fields; anything else is a comment or garbage.
    if (f.length < 6 || !/^(stream|dgram|raw|rdm|seqpacket)$/.test(f[1] as string)) return;
    out.push({ daemon: 'inetd', service: f[0] as string, server: f[5] ?? null, enabled: !off, file, line: i + 1 });
  });
  return out;
}

/** xinetd: `service NAME { attr = value ... }` blocks; a service runs unless it says `disable = yes`. */
export function parseXinetdConf(text: string, file: string): InetdService[] {
  const out: InetdService[] = [];
  let current: InetdService | null = null;
  let pending: { name: string; line: number } | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const head = /^service\s+(\S+)\s*(\{)?$/.exec(line);
    if (head && !current) {
      pending = { name: head[1] as string, line: i + 1 };
      if (!head[2]) return;
    }
    if ((line === '{' || head?.[2]) && pending && !current) {
      current = { daemon: 'xinetd', service: pending.name, server: null, enabled: true, file, line: pending.line };
      pending = null;
      return;
    }
    if (!current) return;
    if (line === '}') {
      out.push(current);
      current = null;
      return;
    }
    const attr = /^(\w+)\s*[+-]?=\s*(.*)$/.exec(line);
    if (!attr) return;
    const [, key, value] = attr as unknown as [string, string, string];
    if (key === 'disable') current.enabled = value.trim().toLowerCase() !== 'yes';
    if (key === 'server') current.server = value.trim() || null;
  });
  return out;
}
