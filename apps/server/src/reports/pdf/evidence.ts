import type { Evidence } from '@plumbline/benchmarks/engine';

/**
 * Evidence as a reader wants it: "Expected: ... Observed: ... Where: ...". Some observed values
 * are JSON (a systemd unit, a list of file:line places); they read as words instead.
 */
function describe(x: unknown): string {
  if (x === null || x === undefined) return 'none';
  if (Array.isArray(x)) return x.length ? x.map(describe).join('; ') : 'none';
  if (typeof x === 'object') {
    const o = x as Record<string, unknown>;
    const keys = Object.keys(o);
    if (typeof o.file === 'string' && typeof o.line === 'number' && keys.length === 2) return `${o.file}:${o.line}`;
    const parts = Object.entries(o)
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${k.replace(/_/g, ' ')} ${describe(v)}`);
    return parts.length ? parts.join(', ') : 'none';
  }
  return String(x);
}

/** JSON cut short by the engine's length limit cannot be parsed: its keys and punctuation are read off instead. */
function describeCut(t: string): string {
  return t
    .replace(/\{"file":"([^"]*)","line":(\d+)\}/g, '$1:$2')
    .replace(/"(\w+)":/g, (_all, k: string) => `${k.replace(/_/g, ' ')} `)
    .replace(/[{}[\]"]/g, '')
    .replace(/,(?=\S)/g, ', ');
}

export function readableValue(v: string): string {
  const t = v.trim();
  if (/^[[{]/.test(t)) {
    try {
      return describe(JSON.parse(t));
    } catch {
      return describeCut(t);
    }
  }
  // JSON after a prefix ("1: {...}"), often cut short too.
  return /[[{]"/.test(t) ? describeCut(t) : v;
}

const sentence = (label: string, text: string) => {
  const t = text.trim();
  return `${label}: ${t === '' ? '(empty)' : t}${/[.!?]$/.test(t) ? '' : '.'}`;
};

export function evidenceText(e: Evidence): string {
  return [
    sentence('Expected', e.expected),
    sentence('Observed', readableValue(e.observed)),
    ...(e.source ? [sentence('Where', e.source)] : []),
  ].join(' ');
}

/** The first items of a result's evidence, and how many more the CSV and JSON reports carry. */
export function evidenceSummary(evidence: readonly Evidence[], max = 1): string {
  if (!evidence.length) return 'No evidence recorded.';
  const shown = evidence.slice(0, max).map(evidenceText);
  const more = evidence.length - shown.length;
  return `${shown.join('\n')}${more > 0 ? ` (${more} more in the CSV and JSON reports.)` : ''}`;
}

/** What a result found, without where it looked: equal on hosts that differ only in their file layout. */
export function evidenceCore(evidence: readonly Evidence[]): string {
  return evidence.map((e) => `${e.expected}\u0000${e.observed}`).join('\u0001');
}

/** Where a result looked, when that is one place (or one list of places) for all its evidence. */
export function evidenceWhere(evidence: readonly Evidence[]): string | null {
  const w = new Set(evidence.map((e) => e.source ?? ''));
  return w.size === 1 ? ([...w][0] as string) || null : null;
}
