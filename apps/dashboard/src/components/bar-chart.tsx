import { formatCount } from '@/lib/format';

export interface Bar {
  label: string;
  value: number;
  tone?: 'ok' | 'warn' | 'bad' | 'neutral';
}

/**
 * Vertical bars drawn as SVG (no chart library: a few hundred bytes instead of a
 * hundred KB). The figure is described for screen readers by a hidden table.
 */
export function BarChart({ bars, title, unit }: { bars: Bar[]; title: string; unit: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const w = 40;
  const gap = 8;
  const h = 140;
  // Room above the tallest bar for its count.
  const top = 16;
  const width = bars.length * (w + gap);
  return (
    <figure className="chart">
      <svg viewBox={`0 ${-top} ${width} ${h + 36 + top}`} role="img" aria-label={title} preserveAspectRatio="xMidYMid meet">
        {bars.map((b, i) => {
          const bh = b.value === 0 ? 0 : Math.max(3, (b.value / max) * h);
          const x = i * (w + gap) + gap / 2;
          return (
            <g key={b.label}>
              <rect x={x} y={h - bh} width={w} height={bh} rx={3} className={`bar bar-${b.tone ?? 'neutral'}`} />
              <text x={x + w / 2} y={h - bh - 4} textAnchor="middle" className="bar-value">
                {b.value > 0 ? formatCount(b.value) : ''}
              </text>
              <text x={x + w / 2} y={h + 16} textAnchor="middle" className="bar-label">
                {b.label}
              </text>
            </g>
          );
        })}
        <line x1={0} x2={width} y1={h} y2={h} className="chart-axis" />
      </svg>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Range</th>
            <th scope="col">{unit}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <th scope="row">{b.label}</th>
              <td>{b.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** A horizontal proportion bar (pass / fail / waived...) with a text legend. */
export function StackedBar({ parts, label }: { parts: { label: string; value: number; tone: string }[]; label: string }) {
  const total = parts.reduce((a, p) => a + p.value, 0);
  return (
    <div className="stacked">
      <div className="stacked-bar" role="img" aria-label={`${label}: ${parts.map((p) => `${p.value} ${p.label}`).join(', ')}`}>
        {total > 0
          ? parts.map((p) =>
              p.value > 0 ? <span key={p.label} className={`stacked-part bar-${p.tone}`} style={{ flexGrow: p.value }} /> : null,
            )
          : null}
      </div>
      <ul className="legend" aria-hidden="true">
        {parts.map((p) => (
          <li key={p.label}>
            <span className={`legend-swatch bar-${p.tone}`} /> {p.label} <strong>{formatCount(p.value)}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}
