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
