// Relative, not '@/': the workspace test runner has no alias.
import { formatDateTime } from '../lib/format';

export interface LineSeries {
  label: string;
  tone: 'primary' | 'ok' | 'warn' | 'bad' | 'neutral' | 'waived';
  /** One value per time; null where there is none (the line breaks there). */
  values: (number | null)[];
  /** Drawn dashed, so two series differ by more than colour. */
  dashed?: boolean;
}

const W = 600;
const H = 160;
const PAD = { left: 34, right: 10, top: 10, bottom: 22 };
const TICKS = [0, 50, 100];

/** Minimal `M x y L x y` path; a null value starts a new segment. */
function pathOf(xs: number[], values: (number | null)[], y: (v: number) => number): string {
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) return void (pen = false);
    d += `${pen ? 'L' : 'M'}${xs[i]!.toFixed(1)} ${y(v).toFixed(1)}`;
    pen = true;
  });
  return d;
}

const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/**
 * Percentages (0-100) over time, drawn as SVG in the spirit of BarChart: no chart library.
 * Points sit at their real time, so hourly and daily stretches keep their proportions. The
 * figure is described for screen readers by a hidden table with every point.
 */
export function LineChart({
  times,
  series,
  title,
  valueFormat,
}: {
  times: string[];
  series: LineSeries[];
  title: string;
  valueFormat: (v: number | null) => string;
}) {
  const ts = times.map((t) => new Date(t).getTime());
  const t0 = Math.min(...ts);
  const t1 = Math.max(...ts);
  const span = t1 - t0 || 1;
  const xs = ts.map((t) => (t1 === t0 ? (PAD.left + W - PAD.right) / 2 : PAD.left + ((t - t0) / span) * (W - PAD.left - PAD.right)));
  const y = (v: number) => PAD.top + (1 - Math.min(100, Math.max(0, v)) / 100) * (H - PAD.top - PAD.bottom);
  const last = times.length - 1;
  return (
    <figure className="chart line-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} preserveAspectRatio="xMidYMid meet">
        {TICKS.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} className={v === 0 ? 'chart-axis' : 'chart-grid'} />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="bar-label">
              {v}%
            </text>
          </g>
        ))}
        {series.map((s) => (
          <g key={s.label} className={`line line-${s.tone}`}>
            <path d={pathOf(xs, s.values, y)} fill="none" strokeDasharray={s.dashed ? '5 4' : undefined} />
            {s.values.map((v, i) =>
              v !== null && (i === last || s.values[i - 1] == null) ? <circle key={i} cx={xs[i]} cy={y(v)} r={3} /> : null,
            )}
          </g>
        ))}
        {times.length > 0 ? (
          <>
            <text x={PAD.left} y={H - 6} className="bar-label">
              {shortDate.format(t0)}
            </text>
            {t1 !== t0 ? (
              <text x={W - PAD.right} y={H - 6} textAnchor="end" className="bar-label">
                {shortDate.format(t1)}
              </text>
            ) : null}
          </>
        ) : null}
      </svg>
      <ul className="legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.label}>
            <span className={`legend-swatch bar-${s.tone}`} /> {s.label} <strong>{valueFormat(s.values[last] ?? null)}</strong>
          </li>
        ))}
      </ul>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            {series.map((s) => (
              <th scope="col" key={s.label}>
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {times.map((t, i) => (
            <tr key={t}>
              <th scope="row">{formatDateTime(t)}</th>
              {series.map((s) => (
                <td key={s.label}>{valueFormat(s.values[i] ?? null)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
