// Figures as `pnpm bench` prints them: one JSON line each on stdout as soon as measured,
// a table at the end, and a copy under bench/results/ to compare runs over time.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function percentile(values, p) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (v) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v);

export class Report {
  constructor() {
    this.figures = [];
  }

  /**
   * `target` is a string like "<= 400" or ">= 2000", or null for a figure DESIGN.md sets no
   * target for; `ok` is derived from it unless given (a figure that could not be measured
   * passes ok: false and says why in `note`).
   */
  add(name, value, unit, target, { ok, note } = {}) {
    const fig = { name, value: round(value), unit, target, ok: ok ?? meets(value, target) };
    if (note) fig.note = note;
    this.figures.push(fig);
    console.log(JSON.stringify(fig));
  }

  /**
   * The same figure for each server process, as `<name>_replica_<i>`, when there is more than
   * one (with one, the total is that process's figure). `each(i)` returns { value, ok, note }.
   */
  perReplica(name, count, unit, target, each) {
    if (count < 2) return;
    for (let i = 0; i < count; i++) {
      const { value, ...opts } = each(i);
      this.add(`${name}_replica_${i}`, value, unit, target, opts);
    }
  }

  table() {
    const rows = this.figures.map((f) => [
      f.name,
      `${f.value} ${f.unit}`,
      f.target === null ? '-' : String(f.target),
      f.ok ? 'ok' : 'MISSED',
    ]);
    const head = ['figure', 'value', 'target', ''];
    const widths = head.map((_, i) => Math.max(...[head, ...rows].map((r) => r[i].length)));
    const fmt = (r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    return `${fmt(head)}\n${rows.map(fmt).join('\n')}`;
  }

  save(repo, meta) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const dir = path.join(repo, 'bench/results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `fleet-${stamp}.jsonl`);
    writeFileSync(file, this.figures.map((f) => JSON.stringify({ ...f, ...meta, at: stamp })).join('\n') + '\n');
    return file;
  }
}

function meets(value, target) {
  if (target === null) return true;
  if (typeof value !== 'number') return false;
  const m = /^(<=|>=)\s*([\d.]+)$/.exec(String(target));
  if (!m) return true;
  return m[1] === '<=' ? value <= Number(m[2]) : value >= Number(m[2]);
}
